/**
 * The Koa side of every route: JSON or HTML, the session, the signed-in user, the CSRF token, and
 * pages in the layout.
 */
import {
  clientAddress,
  renderSitePage,
  signedInUser,
  type PageRequest,
  type SessionData,
  type SignInFacts,
  type SiteAnswer,
  type SitePage,
  type SiteRequest,
  type User,
} from '@secondfactor/example-billing-shared';
import { wantsJson as wantsJsonRequest } from '@secondfactor/web';
import type { Context } from 'koa';

/**
 * Whether the client wants JSON: @secondfactor/web's negotiation, so the site and its 2FA routes agree.
 */
export function wantsJson(ctx: Context): boolean {
  return wantsJsonRequest({ accept: ctx.get('accept'), contentType: ctx.get('content-type') });
}

/**
 * The koa-session object, or null when the session was destroyed.
 */
export function sessionOf(ctx: Context): (SessionData & { regenerate?: () => Promise<void> }) | null {
  const session = (ctx as unknown as { session?: SessionData | null }).session;
  return session && typeof session === 'object' ? session : null;
}

/**
 * What the request knows about its sign-in, at the site's clock.
 */
export function signInFacts(ctx: Context): SignInFacts {
  return {
    authenticated: ctx.isAuthenticated(),
    user: ctx.state.user,
    session: sessionOf(ctx),
    now: (ctx.state.clock as () => Date)(),
  };
}

/**
 * The fully signed-in user: Passport has a user and no second step is pending (S20). Null otherwise.
 */
export function currentUser(ctx: Context): User | null {
  return signedInUser(signInFacts(ctx));
}

/**
 * The CSRF token for forms and JSON clients (koa-csrf puts it in `ctx.state._csrf`).
 */
export function csrfToken(ctx: Context): string {
  return typeof ctx.state._csrf === 'string' ? ctx.state._csrf : '';
}

/**
 * What the layout needs to know about this request.
 */
export function pageRequest(ctx: Context): PageRequest {
  return {
    siteName: String(ctx.state.siteName ?? 'Billing'),
    user: currentUser(ctx),
    csrfToken: csrfToken(ctx),
    session: sessionOf(ctx),
  };
}

/**
 * Answers with a whole HTML page in the site layout.
 */
export function renderPage(ctx: Context, page: SitePage): void {
  ctx.status = page.status ?? 200;
  ctx.type = 'html';
  ctx.body = renderSitePage(pageRequest(ctx), page);
}

/**
 * The neutral request the shared route decisions take.
 */
export function siteRequest(ctx: Context): SiteRequest {
  return {
    json: wantsJson(ctx),
    body: (ctx.request as { body?: Record<string, unknown> }).body ?? {},
    csrfToken: csrfToken(ctx),
    user: currentUser(ctx),
    session: sessionOf(ctx),
    ip: clientAddress(ctx.ip),
    userAgent: ctx.get('user-agent') || undefined,
    sessionId: (sessionOf(ctx) as { externalKey?: string } | null)?.externalKey,
  };
}

/**
 * Writes a shared route decision as Koa's response.
 */
export function send(ctx: Context, answer: SiteAnswer): void {
  if (answer.kind === 'redirect') return ctx.redirect(answer.location);
  if (answer.kind === 'page') return renderPage(ctx, answer.page);
  if (answer.noStore) ctx.set('Cache-Control', 'no-store');
  ctx.status = answer.status;
  ctx.body = answer.body;
}
