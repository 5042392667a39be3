/** The guard for the host's protected routes: a pending second factor is signed out (S20). */
import { ConfigurationError } from '@secondfactor/core';
import type { Middleware } from 'koa';
import { wantsJson } from './negotiate';
import type { ResolvedOptions } from './options';
import { fullySignedInUser, pendingLogin } from './pending-login';
import { RouteErrorCode } from './route-error';
import { messageFor, sendJson } from './respond';

/**
 * Options of `requireSecondFactor()`.
 *
 * @example
 * ```ts
 * router.get('/reports', twoFactor.requireSecondFactor({ redirectTo: '/sign-in' }), showReports);
 * ```
 */
export interface RequireSecondFactorOptions {
  /** Where a browser without any login goes. Default: the `loginPath` option. */
  redirectTo?: string;
}

/**
 * Lets a fully signed-in user through. JSON clients otherwise get 401 (`TWO_FACTOR_REQUIRED`
 * while the second factor is pending, `TWO_FACTOR_SIGN_IN_REQUIRED` without any login); browsers
 * are redirected to the challenge, or to the login page.
 *
 * @example
 * ```ts
 * router.get('/clientarea', createGuard(resolved)(), showClientArea);
 * ```
 */
export function createGuard(resolved: ResolvedOptions): (options?: RequireSecondFactorOptions) => Middleware {
  return (options = {}) => {
    const redirectTo = options.redirectTo ?? resolved.loginPath;
    if (typeof redirectTo !== 'string' || !/^\/(?![/\\])/.test(redirectTo)) {
      throw new ConfigurationError('requireSecondFactor: redirectTo must be a local path starting with "/".');
    }
    return async (ctx, next) => {
      if ((await fullySignedInUser(ctx, resolved)) !== undefined) return next();
      const pending = pendingLogin(ctx, resolved) !== null;
      if (wantsJson(ctx)) {
        const code = pending ? RouteErrorCode.SecondFactorRequired : RouteErrorCode.SignInRequired;
        sendJson(ctx, { error: { code, message: messageFor(resolved, code) } }, 401);
        return;
      }
      ctx.status = ctx.method === 'GET' || ctx.method === 'HEAD' ? 302 : 303;
      ctx.redirect(pending ? resolved.challengePrefix : redirectTo);
    };
  };
}
