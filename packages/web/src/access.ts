/**
 * The one access decision (S20): a session is signed in only when the host knows a user and no
 * second factor is pending, expired or not. Every guard (`requireSecondFactor` of
 * @secondfactor/koa and @secondfactor/express) and the management routes answer from it, with
 * one code per outcome.
 */
import { ConfigurationError } from '@secondfactor/core';
import type { LoginState } from './request';
import { sessionStampIsCurrent, signOutStaleSession } from './security-stamp';
import type { Exchange } from './respond';
import { messageFor } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { ROUTE_ERROR_STATUS, RouteErrorCode } from './route-error';

/**
 * The outcome of {@link decideAccess}: the user, or why not and where a browser goes next.
 * - `TWO_FACTOR_SIGN_IN_REQUIRED` (401, to the login page): nobody is signed in, or a pending login expired.
 * - `TWO_FACTOR_REQUIRED` (401, to the challenge): the password step is done, the second factor is due.
 *
 * @example
 * ```ts
 * const decision: AccessDecision<User> = decideAccess({ user: req.user, loginState: 'none' });
 * if (decision.allowed) console.log(decision.user);
 * ```
 */
export type AccessDecision<User = unknown> =
  | { allowed: true; user: User }
  | {
      allowed: false;
      status: 401;
      code: typeof RouteErrorCode.SignInRequired | typeof RouteErrorCode.SecondFactorRequired;
      /** Where a browser goes: the login page or the challenge. */
      next: 'login' | 'challenge';
    };

/**
 * Decides whether a request may reach a protected route.
 *
 * @example
 * ```ts
 * const decision = decideAccess({
 *   user: req.isAuthenticated() ? req.user : undefined,
 *   loginState: strategy.loginState(req.session),
 * });
 * if (!decision.allowed) res.status(decision.status).json({ error: { code: decision.code } });
 * ```
 */
export function decideAccess<User>(input: {
  /** The user the host's session knows (e.g. Passport's `req.user`), or undefined. */
  user: User | undefined | null;
  /** The login in progress in the session (passport-totp's `strategy.loginState(session)`). */
  loginState: LoginState;
}): AccessDecision<User> {
  if (input.loginState === 'pending')
    return {
      allowed: false,
      status: ROUTE_ERROR_STATUS[RouteErrorCode.SecondFactorRequired],
      code: RouteErrorCode.SecondFactorRequired,
      next: 'challenge',
    };
  if (input.loginState !== 'none' || input.user === undefined || input.user === null)
    return {
      allowed: false,
      status: ROUTE_ERROR_STATUS[RouteErrorCode.SignInRequired],
      code: RouteErrorCode.SignInRequired,
      next: 'login',
    };
  return { allowed: true, user: input.user };
}

/**
 * The decision for this request: the strategy reads the pending state at the routes' clock, and
 * the host's `getUser` is asked only when no login is in progress. A signed-in session whose
 * security stamp is stale is signed out first (S31).
 */
export async function accessOf<N>(exchange: Exchange<N>): Promise<AccessDecision> {
  const { resolved, request } = exchange;
  const loginState = resolved.strategy.loginState(request.session.data, resolved.clock());
  let user = loginState === 'none' ? await resolved.getUser(request.native) : undefined;
  // S31: a session that signed in before the user's last security change is signed out here.
  if (user !== undefined && user !== null && !sessionStampIsCurrent(resolved, request, user)) {
    signOutStaleSession(request);
    user = undefined;
  }
  return decideAccess({ user, loginState });
}

/**
 * The answer to a refused request: 401 with the decision's code for JSON; for browsers a redirect
 * to the challenge or to `loginPath`.
 */
export function refusalResponse<N>(
  exchange: Exchange<N>,
  decision: Extract<AccessDecision, { allowed: false }>,
  loginPath: string,
): WebResponse {
  const { resolved, request } = exchange;
  if (exchange.json)
    return jsonResponse(
      { error: { code: decision.code, message: messageFor(resolved, decision.code) } },
      decision.status,
    );
  return redirectResponse(request.method, decision.next === 'challenge' ? resolved.challengePrefix : loginPath);
}

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
  /**
   * The 2FA policy on this route (S36). `'enforce'` (default): after the grace deadline a required
   * user without 2FA gets 403 `TWO_FACTOR_ENROLLMENT_REQUIRED` (browsers: the enrollment start).
   * `'allow'`: for the pages such a user must still reach, like Security Settings.
   */
  enrollmentPolicy?: 'enforce' | 'allow';
}

/**
 * Checks the guard's options at setup and returns where a browser without a login goes.
 */
export function guardRedirect(options: RequireSecondFactorOptions | undefined, loginPath: string): string {
  const redirectTo = options?.redirectTo ?? loginPath;
  if (typeof redirectTo !== 'string' || !/^\/(?![/\\])/.test(redirectTo)) {
    throw new ConfigurationError('requireSecondFactor: redirectTo must be a local path starting with "/".');
  }
  const policy = options?.enrollmentPolicy;
  if (policy !== undefined && policy !== 'enforce' && policy !== 'allow')
    throw new ConfigurationError('requireSecondFactor: enrollmentPolicy must be "enforce" or "allow".');
  return redirectTo;
}
