/**
 * CSRF (S25). The host mounts koa-csrf before the routers; it verifies the token. The routes read
 * the token for their forms and, by default, refuse state changes when no CSRF middleware ran.
 */
import type { Context, Middleware } from 'koa';
import { RouteError, RouteErrorCode } from './route-error';

/**
 * The current CSRF token: `ctx.state._csrf` (koa-csrf 5) or `ctx.csrf` (older koa-csrf), if any.
 *
 * @example
 * ```ts
 * const token = csrfToken(ctx); // for a hidden `_csrf` field
 * ```
 */
export function csrfToken(ctx: Context): string | undefined {
  const fromState = (ctx.state as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromState === 'string' && fromState) return fromState;
  const legacy = (ctx as unknown as { csrf?: unknown }).csrf;
  return typeof legacy === 'string' && legacy ? legacy : undefined;
}

/**
 * Refuses a state change with 403 `TWO_FACTOR_CSRF` when no CSRF middleware ran before the
 * routers, so a host that forgot koa-csrf fails closed instead of open.
 *
 * @example
 * ```ts
 * router.post('/disable', requireCsrfMiddleware(true), disable);
 * ```
 */
export function requireCsrfMiddleware(required: boolean): Middleware {
  return async (ctx, next) => {
    if (required && !csrfToken(ctx)) throw new RouteError(RouteErrorCode.Csrf, 403);
    await next();
  };
}
