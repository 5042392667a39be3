/** The Koa guard for routes that need a full sign-in, password and second factor (S20). */
import type { SessionLike } from './pending-second-factor';
import {
  authenticationRequiredBody,
  checkGuardOptions,
  isFullySignedIn,
  type EnsureSecondFactorOptions,
} from './sign-in-guard';

/**
 * The part of a Koa context the guard reads and writes; a Koa `Context` fits.
 *
 * @example
 * ```ts
 * const guarded = (ctx: Koa.Context): KoaGuardContext => ctx;
 * ```
 */
export interface KoaGuardContext {
  /** koa-session's `ctx.session`. */
  session?: SessionLike | null | false;
  /** Added by koa-passport's `passport.initialize()`. */
  isAuthenticated?: () => boolean;
  accepts(...types: string[]): string | false;
  status: number;
  body: unknown;
  redirect(url: string): void;
}

/**
 * A Koa middleware, as {@link ensureSecondFactorKoa} returns it.
 *
 * @example
 * ```ts
 * const guard: KoaGuard = ensureSecondFactorKoa();
 * router.use('/account', guard);
 * ```
 */
export type KoaGuard = (ctx: KoaGuardContext, next: () => Promise<unknown>) => Promise<void>;

/**
 * Koa middleware that lets only fully signed-in sessions through. A session whose second factor
 * is pending is treated as signed out (S20): 401 JSON, or a redirect for browsers when
 * `redirectTo` is set.
 *
 * @example
 * ```ts
 * router.get('/clientarea', ensureSecondFactorKoa({ redirectTo: '/login' }), (ctx) => {
 *   ctx.body = { user: ctx.state.user };
 * });
 * ```
 */
export function ensureSecondFactorKoa(options?: EnsureSecondFactorOptions): KoaGuard {
  const { redirectTo } = checkGuardOptions(options);
  return async function ensureSecondFactorKoaMiddleware(ctx, next) {
    if (isFullySignedIn(ctx.session || null, ctx.isAuthenticated, ctx)) {
      await next();
      return;
    }
    if (redirectTo !== undefined && ctx.accepts('json', 'html') === 'html') {
      ctx.redirect(redirectTo);
      return;
    }
    ctx.status = 401;
    ctx.body = authenticationRequiredBody();
  };
}
