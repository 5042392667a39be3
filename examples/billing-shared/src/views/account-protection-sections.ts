/** Security Settings sections around the second factor: the password change form and the session list (S33). */
import { html, type SafeHtml } from './html';

/** One row of the session list. */
export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  /** A short summary, e.g. "Firefox on Linux". */
  userAgent: string;
}

const when = (date: Date) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';

/**
 * The "Password" section: current and new password.
 */
export function passwordSection(input: { csrfToken: string }): SafeHtml {
  return html`<section class="card" aria-labelledby="password-heading">
  <div class="card-head"><h2 id="password-heading">Password</h2></div>
  <p class="muted">Changing your password signs out every other session.</p>
  <form method="post" action="/account/password" class="form">
    <input type="hidden" name="_csrf" value="${input.csrfToken}">
    <label for="currentPassword">Current password</label>
    <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required maxlength="1024">
    <label for="newPassword">New password</label>
    <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minlength="8" maxlength="1024">
    <button type="submit" class="button button-primary">Change password</button>
  </form>
</section>`;
}

/**
 * The "Sessions" section: every signed-in browser, the current one marked, each revocable, and
 * "Sign out all other sessions".
 */
export function sessionsSection(input: { csrfToken: string; sessions: SessionRow[] }): SafeHtml {
  return html`<section class="card" aria-labelledby="sessions-heading">
  <div class="card-head"><h2 id="sessions-heading">Sessions</h2></div>
  <table class="table">
    <thead><tr><th>Browser</th><th>IP address</th><th>Signed in</th><th>Last seen</th><th>Sign out</th></tr></thead>
    <tbody>
      ${input.sessions.map(
        (session) => html`<tr>
        <td>${session.userAgent}${session.current ? html` <span class="badge badge-info">This session</span>` : ''}</td>
        <td>${session.ip ?? 'unknown'}</td>
        <td class="nowrap">${when(session.createdAt)}</td>
        <td class="nowrap">${when(session.lastSeenAt)}</td>
        <td>${
          session.current
            ? ''
            : html`<form method="post" action="/account/sessions/${session.id}/revoke"><input type="hidden" name="_csrf" value="${input.csrfToken}"><button type="submit" class="button">Sign out</button></form>`
        }</td>
      </tr>`,
      )}
    </tbody>
  </table>
  <form method="post" action="/account/sessions/revoke-others" class="form">
    <input type="hidden" name="_csrf" value="${input.csrfToken}">
    <button type="submit" class="button">Sign out all other sessions</button>
  </form>
</section>`;
}
