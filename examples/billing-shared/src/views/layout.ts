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
export type NavSection =
  'clientarea' | 'security' | 'users' | 'payment-methods' | 'login' | 'register' | 'two-factor' | 'none';

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
 * Renders a whole HTML page. Works without JavaScript (the CSP allows none): the user menu and, on
 * narrow screens, the navigation are `<details>` disclosures holding plain lists of links, so they
 * claim no menu keyboard behaviour they do not have.
 */
export function renderLayout(input: LayoutInput): string {
  const body = input.body instanceof SafeHtml ? input.body : raw(input.body);
  const nav = (section: NavSection, href: string, label: string) =>
    input.active === section
      ? html`<a class="nav-link is-active" href="${href}" aria-current="page">${label}</a>`
      : html`<a class="nav-link" href="${href}">${label}</a>`;
  const user = input.user;
  const sections = user
    ? [
        nav('clientarea', '/clientarea', 'Client Area'),
        html`<a class="nav-link" href="/clientarea#services">Services</a>`,
        html`<a class="nav-link" href="/clientarea#invoices">Invoices</a>`,
      ]
    : [];
  const menu = user
    ? html`<details class="user-menu">
        <summary><span class="user-greeting">Hello, ${firstName(user.name)}!</span></summary>
        <ul class="user-menu-panel">
          <li><a href="/account/security">Security Settings</a></li>
          ${user.isSubAccount ? '' : html`<li><a href="/account/users">Manage Users</a></li>`}
          ${user.isSubAccount ? '' : html`<li><a href="/account/payment-methods">Payment Methods</a></li>`}
          <li class="user-menu-logout">
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value="${input.csrfToken ?? ''}">
              <button type="submit">Logout</button>
            </form>
          </li>
        </ul>
      </details>`
    : html`<div class="guest-links">${nav('login', '/login', 'Login')}<a class="button button-small" href="/register">Register</a></div>`;
  const drawer = user
    ? html`<details class="nav-drawer">
        <summary><span class="nav-drawer-icon" aria-hidden="true">&#9776;</span><span class="nav-drawer-label">Menu</span></summary>
        <nav aria-label="Main">
          <ul>${sections.map((link) => html`<li>${link}</li>`)}</ul>
        </nav>
      </details>`
    : '';
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
      ${user ? html`<nav class="main-nav" aria-label="Main">${sections}</nav>` : ''}
      ${drawer}
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
