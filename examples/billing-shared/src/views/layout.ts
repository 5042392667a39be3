/** The page frame: navigation bar with the "Hello, {first name}!" menu, flash message, content, footer. */
import { formatDeadline } from '@secondfactor/web';
import { firstName } from '../services/account-input';
import { html, raw, SafeHtml } from './html';

/** A one-time message shown at the top of the next page. */
export interface Flash {
  kind: 'success' | 'info' | 'error';
  text: string;
}

/** The signed-in user as the layout needs it. */
export interface LayoutUser {
  name: string;
  isSubAccount: boolean;
}

/** Which navigation entry is current. */
export type NavSection = 'clientarea' | 'security' | 'users' | 'login' | 'register' | 'two-factor' | 'none';

/** Everything {@link renderLayout} needs. */
export interface LayoutInput {
  siteName: string;
  title: string;
  /** The page content: escaped `SafeHtml`, or HTML a trusted renderer produced (the koa package's views). */
  body: SafeHtml | string;
  /** The fully signed-in user, or null (signed out, or only the password step done). */
  user: LayoutUser | null;
  /** For the logout form. */
  csrfToken: string | undefined;
  flash?: Flash | null;
  active?: NavSection;
  /** The signed-in user's 2FA grace deadline: a banner with it and a link to turn 2FA on (S36). */
  enrollmentRequiredBy?: Date;
}

const LOGO = raw(
  '<svg class="logo-mark" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#2563eb"/>' +
    '<path d="M9 17.5l4.5 4.5L23 11" stroke="#fff" stroke-width="3.2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
);

/**
 * Renders a whole HTML page. Works without JavaScript: the user menu is a `<details>` element.
 */
export function renderLayout(input: LayoutInput): string {
  const body = input.body instanceof SafeHtml ? input.body : raw(input.body);
  const nav = (section: NavSection, href: string, label: string) =>
    html`<a class="nav-link${input.active === section ? ' is-active' : ''}" href="${href}">${label}</a>`;
  const user = input.user;
  const menu = user
    ? html`<details class="user-menu">
        <summary>Hello, ${firstName(user.name)}!</summary>
        <div class="user-menu-panel" role="menu">
          <a role="menuitem" href="/account/security">Security Settings</a>
          ${user.isSubAccount ? '' : html`<a role="menuitem" href="/account/users">Manage Users</a>`}
          <form method="post" action="/logout" class="user-menu-logout">
            <input type="hidden" name="_csrf" value="${input.csrfToken ?? ''}">
            <button type="submit" role="menuitem">Logout</button>
          </form>
        </div>
      </details>`
    : html`<div class="guest-links">${nav('login', '/login', 'Login')}<a class="button button-small" href="/register">Register</a></div>`;
  const flash = input.flash
    ? html`<div class="alert alert-${input.flash.kind}" role="status">${input.flash.text}</div>`
    : '';
  const banner =
    user && input.enrollmentRequiredBy
      ? html`<div class="alert alert-info enrollment-banner" role="status">
      Your account requires two-factor authentication. Please turn it on by ${formatDeadline(input.enrollmentRequiredBy)}.
      <a href="/account/security/two-factor?step=intro">Turn on two-factor authentication</a>
    </div>`
      : '';
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${input.title} - ${input.siteName}</title>
  <link rel="stylesheet" href="/assets/styles.css">
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
  <header class="topbar">
    <div class="topbar-inner">
      <a class="brand" href="${user ? '/clientarea' : '/'}">${LOGO}<span>${input.siteName}</span></a>
      <nav class="main-nav" aria-label="Main">
        ${user ? [nav('clientarea', '/clientarea', 'Client Area'), html`<a class="nav-link" href="/clientarea#services">Services</a>`, html`<a class="nav-link" href="/clientarea#invoices">Invoices</a>`] : ''}
      </nav>
      ${menu}
    </div>
  </header>
  <main class="page">
    ${banner}
    ${flash}
    ${body}
  </main>
  <footer class="footer">
    <div class="footer-inner">
      <span>&copy; ${new Date().getUTCFullYear()} ${input.siteName}</span>
      <span>Two-factor authentication by secondfactor</span>
    </div>
  </footer>
</body>
</html>
`.value;
}
