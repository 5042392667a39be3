/** Small helpers every route uses: JSON or HTML, the session, the signed-in user, flash messages, pages. */
import { getPendingSecondFactor, hasPendingSecondFactor } from '@secondfactor/passport-totp';
import type { Context } from 'koa';
import type { User } from '../db/entities/user.entity';
import type { SafeHtml } from '../views/html';
import { renderLayout, type Flash, type NavSection } from '../views/layout';

/** The session as the site uses it (koa-session's object; null once destroyed). */
export type SessionData = Record<string, unknown> & { regenerate?: () => Promise<void> };

/**
 * Whether the client wants JSON: `Accept: application/json` preferred over HTML, or a JSON request
 * without an HTML preference.
 *
 * @example
 * ```ts
 * if (wantsJson(ctx)) ctx.body = { status: 'authenticated' };
 * ```
 */
export function wantsJson(ctx: Context): boolean {
  const preferred = ctx.accepts('html', 'json');
  if (preferred === 'json') return true;
  const accept = ctx.get('accept');
  return (!accept || accept === '*/*') && Boolean(ctx.is('application/json'));
}

/**
 * The koa-session object, or null when the session was destroyed.
 *
 * @example
 * ```ts
 * const session = sessionOf(ctx);
 * ```
 */
export function sessionOf(ctx: Context): SessionData | null {
  const session = (ctx as unknown as { session?: SessionData | null }).session;
  return session && typeof session === 'object' ? session : null;
}

/**
 * The fully signed-in user: Passport has a user and no second step is pending (S20). Null otherwise.
 *
 * @example
 * ```ts
 * const user = currentUser(ctx);
 * ```
 */
export function currentUser(ctx: Context): User | null {
  if (!ctx.isAuthenticated || !ctx.isAuthenticated()) return null;
  if (hasPendingSecondFactor(sessionOf(ctx))) return null;
  return (ctx.state.user as User | undefined) ?? null;
}

/**
 * Whether the session holds a pending second factor (the password step passed) unexpired at `now`.
 *
 * @example
 * ```ts
 * ctx.body = { twoFactorPending: isTwoFactorPending(ctx, site.twoFactor.clock()) };
 * ```
 */
export function isTwoFactorPending(ctx: Context, now: Date): boolean {
  return getPendingSecondFactor(sessionOf(ctx), now) !== null;
}

/**
 * The CSRF token for forms and JSON clients (koa-csrf puts it in `ctx.state._csrf`).
 *
 * @example
 * ```ts
 * html`<input type="hidden" name="_csrf" value="${csrfToken(ctx)}">`;
 * ```
 */
export function csrfToken(ctx: Context): string {
  return typeof ctx.state._csrf === 'string' ? ctx.state._csrf : '';
}

/**
 * Stores a message for the next page (post/redirect/get).
 *
 * @example
 * ```ts
 * setFlash(ctx, { kind: 'success', text: 'Sub-account created.' });
 * ctx.redirect('/account/users');
 * ```
 */
export function setFlash(ctx: Context, flash: Flash): void {
  const session = sessionOf(ctx);
  if (session) session.flash = flash;
}

/**
 * Reads and clears the flash message.
 *
 * @example
 * ```ts
 * const flash = takeFlash(ctx);
 * ```
 */
export function takeFlash(ctx: Context): Flash | null {
  const session = sessionOf(ctx);
  const flash = session?.flash as Flash | undefined;
  if (!session || !flash) return null;
  delete session.flash;
  return typeof flash.text === 'string' && ['success', 'info', 'error'].includes(flash.kind) ? flash : null;
}

/** Options of {@link renderPage}. */
export interface RenderPageOptions {
  title: string;
  body: SafeHtml | string;
  active?: NavSection;
  status?: number;
}

/**
 * Answers with a whole HTML page in the site layout.
 *
 * @example
 * ```ts
 * renderPage(ctx, { title: 'Client Area', body: clientAreaPage(input), active: 'clientarea' });
 * ```
 */
export function renderPage(ctx: Context, options: RenderPageOptions): void {
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.body = layoutFor(ctx, options);
}

/**
 * The layout as a string, for `@secondfactor/koa`'s `layout` option and for {@link renderPage}.
 *
 * @example
 * ```ts
 * createTwoFactorRouters({ ..., layout: (ctx, page) => layoutFor(ctx, page) });
 * ```
 */
export function layoutFor(ctx: Context, page: { title: string; body: SafeHtml | string; active?: NavSection }): string {
  const user = currentUser(ctx);
  return renderLayout({
    siteName: String(ctx.state.siteName ?? 'Billing'),
    title: page.title,
    body: page.body,
    user: user ? { name: user.name, isSubAccount: user.parentId !== null } : null,
    csrfToken: csrfToken(ctx),
    flash: takeFlash(ctx),
    active: page.active,
  });
}
