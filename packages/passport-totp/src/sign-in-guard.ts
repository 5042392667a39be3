/**
 * What both guards decide (S20): a session is signed in only when Passport has a user and no
 * second factor is pending. A login that stopped after the password is a signed-out session.
 */
import { ConfigurationError } from '@secondfactor/core';
import { hasPendingSecondFactor, type SessionLike } from './pending-second-factor';

/**
 * The error code a guard answers with when the session is not fully signed in.
 *
 * @example
 * ```ts
 * if (body.error.code === AUTHENTICATION_REQUIRED) location.assign('/login');
 * ```
 */
export const AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED';

/**
 * Options of `ensureSecondFactor` and `ensureSecondFactorKoa`.
 *
 * @example
 * ```ts
 * const options: EnsureSecondFactorOptions = { redirectTo: '/login' };
 * ```
 */
export interface EnsureSecondFactorOptions {
  /**
   * Where to send browsers (clients that prefer HTML) that are not fully signed in, e.g. `'/login'`.
   * Without it, or for clients that prefer JSON, the answer is 401 JSON.
   */
  redirectTo?: string;
}

/**
 * The 401 JSON body of a guard.
 *
 * @example
 * ```ts
 * const body: AuthenticationRequiredBody = { error: { code: AUTHENTICATION_REQUIRED, message: 'Sign in to continue.' } };
 * ```
 */
export interface AuthenticationRequiredBody {
  error: { code: typeof AUTHENTICATION_REQUIRED; message: string };
}

/** Validates guard options at setup, so a typo fails at start-up rather than on a request. */
export function checkGuardOptions(options: EnsureSecondFactorOptions | undefined): { redirectTo?: string } {
  if (options === undefined) return {};
  if (!options || typeof options !== 'object')
    throw new ConfigurationError('ensureSecondFactor options must be an object.');
  const { redirectTo } = options;
  if (redirectTo !== undefined && (typeof redirectTo !== 'string' || redirectTo.length === 0)) {
    throw new ConfigurationError('ensureSecondFactor redirectTo must be a non-empty path or URL.');
  }
  return redirectTo === undefined ? {} : { redirectTo };
}

/** Throws when Passport's `isAuthenticated` is missing: the guard must never guess open. */
export function isFullySignedIn(
  session: SessionLike | null | undefined,
  isAuthenticated: unknown,
  self: unknown,
): boolean {
  if (typeof isAuthenticated !== 'function') {
    throw new ConfigurationError(
      'ensureSecondFactor needs Passport: mount passport.initialize() and passport.session() before it.',
    );
  }
  return Boolean(isAuthenticated.call(self)) && !hasPendingSecondFactor(session);
}

/** The body of a guard's 401: the same for a signed-out and a half-signed-in session (S20). */
export function authenticationRequiredBody(): AuthenticationRequiredBody {
  return { error: { code: AUTHENTICATION_REQUIRED, message: 'Sign in to continue.' } };
}
