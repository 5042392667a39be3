/** The management routes' gate: a fully signed-in user, or 401 / a redirect to log in (S8). */
import type { Context, Middleware } from 'koa';
import type { ResolvedOptions } from './options';
import { fullySignedInUser, pendingLogin } from './pending-login';
import { RouteError, RouteErrorCode } from './route-error';
import { wantsJson } from './negotiate';

const USER = Symbol('secondfactor.user');

/**
 * The signed-in user the gate let through, with what the service needs of it.
 *
 * @example
 * ```ts
 * const { user, userId }: GatedUser = gatedUser(ctx);
 * ```
 */
export interface GatedUser {
  user: unknown;
  userId: string;
}

/**
 * Lets only a fully signed-in user through. Otherwise: JSON gets 401 (`TWO_FACTOR_REQUIRED` while
 * a second factor is pending, `TWO_FACTOR_SIGN_IN_REQUIRED` otherwise); HTML is redirected to the
 * challenge or the login page.
 *
 * @example
 * ```ts
 * router.use(requireSignedIn(resolved, resolved.loginPath));
 * ```
 */
export function requireSignedIn(resolved: ResolvedOptions, loginPath: string): Middleware {
  return async (ctx, next) => {
    const user = await fullySignedInUser(ctx, resolved);
    if (user === undefined) {
      const pending = pendingLogin(ctx, resolved) !== null;
      if (wantsJson(ctx))
        throw new RouteError(pending ? RouteErrorCode.SecondFactorRequired : RouteErrorCode.SignInRequired, 401);
      ctx.redirect(pending ? resolved.challengePrefix : loginPath);
      // 303 so a browser follows a refused POST with a GET.
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') ctx.status = 303;
      return;
    }
    const userId = resolved.getUserId(user);
    if (typeof userId !== 'string' || !userId) throw new TypeError('getUserId(user) must return a non-empty string.');
    (ctx.state as unknown as Record<symbol, GatedUser>)[USER] = { user, userId };
    await next();
  };
}

/**
 * The user {@link requireSignedIn} let through.
 *
 * @example
 * ```ts
 * const { userId } = gatedUser(ctx);
 * ```
 */
export function gatedUser(ctx: Context): GatedUser {
  const gated = (ctx.state as unknown as Record<symbol, GatedUser | undefined>)[USER];
  if (!gated) throw new Error('gatedUser() used on a route without requireSignedIn().');
  return gated;
}
