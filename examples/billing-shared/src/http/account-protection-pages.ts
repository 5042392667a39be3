/**
 * The account routes around the second factor, for both sites: `POST /account/password` (S31: the
 * other sessions end) and `/account/sessions` (S33: list, revoke one, sign out all others). The
 * framework's guard has already let only a fully signed-in user through; the decisions are here.
 */
import type { SessionStore } from '@secondfactor/sessions';
import { SECURITY_STAMP_SESSION_KEY } from '@secondfactor/web';
import type { User } from '../db/entities/user.entity';
import { MIN_PASSWORD_LENGTH } from '../services/account-input';
import { AccountEventType } from '../services/account-events';
import { checkCurrentPassword } from '../services/current-password';
import { sendAccountMail } from '../services/account-mail';
import { MAX_PASSWORD_LENGTH } from '../services/password-hasher';
import type { SiteContext } from '../services/site-context';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { passwordSection, sessionsSection, type SessionRow } from '../views/account-protection-sections';
import type { SafeHtml } from '../views/html';
import { setFlash } from './flash';
import { json, redirect, type SiteAnswer, type SiteRequest } from './site-answer';
import { userAgentSummary } from './user-agent-summary';

function signedIn(request: SiteRequest): User {
  if (!request.user) throw new SiteError(401, SiteErrorCode.NotSignedIn, 'Sign in to continue.');
  return request.user;
}

function metaOf(request: SiteRequest) {
  return { ip: request.ip, userAgent: request.userAgent };
}

/** Answers a POST: JSON, or back to Security Settings with a flash message. */
function done(request: SiteRequest, body: object, text: string): SiteAnswer {
  if (request.json) return json(body, 200, true);
  setFlash(request.session, { kind: 'success', text });
  return redirect('/account/security');
}

/**
 * `POST /account/password {currentPassword,newPassword}`: changes the password. The current password
 * is checked as a re-authentication (S29: counted first; 429 with `Retry-After` during a backoff, 423
 * once a 2FA user's factor is locked); a wrong one is 401 `INVALID_CREDENTIALS`, a weak new one 400. On success the security stamp rotates, so every
 * other session ends at its next request while this one carries on (S31); a pending second step
 * elsewhere fails on the new password (S22). Audited and mailed.
 */
export async function changePassword(request: SiteRequest, site: SiteContext): Promise<SiteAnswer> {
  const user = signedIn(request);
  const { currentPassword, newPassword } = request.body;
  if (typeof currentPassword !== 'string' || !currentPassword || currentPassword.length > MAX_PASSWORD_LENGTH)
    throw new SiteError(400, SiteErrorCode.InvalidInput, 'Enter your current password.', {
      currentPassword: 'Enter your current password.',
    });
  if (
    typeof newPassword !== 'string' ||
    newPassword.length < MIN_PASSWORD_LENGTH ||
    newPassword.length > MAX_PASSWORD_LENGTH
  )
    throw new SiteError(
      400,
      SiteErrorCode.InvalidInput,
      `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
      {
        newPassword: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
      },
    );
  const userId = String(user.id);
  try {
    await checkCurrentPassword(site, userId, currentPassword, metaOf(request));
  } catch (error) {
    await site.recordEvent({
      type: AccountEventType.PasswordChangeFailed,
      userId,
      reason: error instanceof SiteError && error.status === 401 ? 'wrong_password' : 'throttled',
      ...metaOf(request),
    });
    throw error;
  }
  await site.accounts.setPassword(user.id, newPassword);
  const stamp = await site.twoFactor.rotateSecurityStamp(userId);
  // This session carries on with the new stamp; every other one is signed out (S31).
  if (request.session && stamp) (request.session as Record<string, unknown>)[SECURITY_STAMP_SESSION_KEY] = stamp;
  // A new password ends every remembered browser too (S34).
  const devices = await site.twoFactor.revokeTrustedDevices({
    userId,
    reason: 'password_changed',
    meta: metaOf(request),
  });
  if (!devices.ok) throw devices.error;
  await site.recordEvent({ type: AccountEventType.PasswordChanged, userId, ...metaOf(request) });
  await sendAccountMail(site, {
    to: user,
    kind: 'passwordChanged',
    text: 'The password of your account was just changed, and every other session was signed out.',
  });
  return done(request, { status: 'password-changed' }, 'Your password was changed. Other sessions were signed out.');
}

/**
 * The signed-in user's sessions as the list shows them, most recently seen first (S33).
 */
export async function sessionRows(request: SiteRequest, sessions: SessionStore): Promise<SessionRow[]> {
  const user = signedIn(request);
  const list = await sessions.listSessions(user.id, { currentSessionId: request.sessionId });
  return list.map((session) => ({
    id: session.id,
    current: session.current,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    ip: session.ip,
    userAgent: userAgentSummary(session.userAgent),
  }));
}

/**
 * The password and session sections of Security Settings.
 */
export async function accountSections(request: SiteRequest, sessions: SessionStore): Promise<SafeHtml[]> {
  return [
    passwordSection({ csrfToken: request.csrfToken }),
    sessionsSection({ csrfToken: request.csrfToken, sessions: await sessionRows(request, sessions) }),
  ];
}

/**
 * `GET /account/sessions`: `{ sessions: [{ id, current, createdAt, lastSeenAt, ip, userAgent }] }`;
 * browsers go to the section of Security Settings.
 */
export async function listSessions(request: SiteRequest, sessions: SessionStore): Promise<SiteAnswer> {
  const rows = await sessionRows(request, sessions);
  if (!request.json) return redirect('/account/security#sessions-heading');
  return json({ sessions: rows }, 200, true);
}

/**
 * `POST /account/sessions/:id/revoke`: ends one of the user's own sessions (404 `NOT_FOUND` for an
 * unknown or foreign id). Audited.
 */
export async function revokeSession(
  request: SiteRequest,
  site: SiteContext,
  sessions: SessionStore,
  id: string,
): Promise<SiteAnswer> {
  const user = signedIn(request);
  if (!(await sessions.revokeSession(user.id, id)))
    throw new SiteError(404, SiteErrorCode.NotFound, 'No such session.');
  await site.recordEvent({
    type: AccountEventType.SessionRevoked,
    userId: String(user.id),
    count: 1,
    ...metaOf(request),
  });
  return done(request, { revoked: 1 }, 'The session was signed out.');
}

/**
 * `POST /account/sessions/revoke-others`: ends every other session of the user. Audited.
 */
export async function revokeOtherSessions(
  request: SiteRequest,
  site: SiteContext,
  sessions: SessionStore,
): Promise<SiteAnswer> {
  const user = signedIn(request);
  if (!request.sessionId) throw new SiteError(409, SiteErrorCode.BadRequest, 'This request has no session.');
  const revoked = await sessions.revokeOtherSessions(user.id, request.sessionId);
  await site.recordEvent({
    type: AccountEventType.OtherSessionsRevoked,
    userId: String(user.id),
    count: revoked,
    ...metaOf(request),
  });
  return done(request, { revoked }, `${revoked} other session(s) signed out.`);
}
