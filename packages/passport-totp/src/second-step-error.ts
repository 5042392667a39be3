/**
 * The refusal the second step raises itself: no login is pending in the session (S20). Its home is
 * here, beside the pending state it describes; core's codes pass through the strategy unchanged.
 */

/**
 * Stable codes of the errors the second step raises itself, beside core's `TwoFactorErrorCode`.
 *
 * @example
 * ```ts
 * if (info.code === SecondStepErrorCode.NoPendingLogin) res.redirect('/login');
 * ```
 */
export const SecondStepErrorCode = {
  /** No login is pending, it expired, the password changed since (S22), or `loadUser` found nobody. */
  NoPendingLogin: 'TWO_FACTOR_NO_PENDING_LOGIN',
} as const;

/** One of the values of {@link SecondStepErrorCode}. */
export type SecondStepErrorCodeValue = (typeof SecondStepErrorCode)[keyof typeof SecondStepErrorCode];

/**
 * The one HTTP status of each {@link SecondStepErrorCode}.
 *
 * @example
 * ```ts
 * res.status(SECOND_STEP_ERROR_STATUS.TWO_FACTOR_NO_PENDING_LOGIN); // 401
 * ```
 */
export const SECOND_STEP_ERROR_STATUS: Readonly<Record<SecondStepErrorCodeValue, number>> = Object.freeze({
  TWO_FACTOR_NO_PENDING_LOGIN: 401,
});

/**
 * 401: there is no login to finish; the user starts again with their password (S20, S22). It has
 * the shape of core's errors and of `http-errors` (`code`, `status`, `expose`, `headers`).
 *
 * @example
 * ```ts
 * const result = await strategy.verify(req);
 * if (!result.ok && result.error instanceof NoPendingLoginError) res.redirect('/login');
 * ```
 */
export class NoPendingLoginError extends Error {
  /** Always `TWO_FACTOR_NO_PENDING_LOGIN`. */
  readonly code = SecondStepErrorCode.NoPendingLogin;
  /** Always 401. */
  readonly status = SECOND_STEP_ERROR_STATUS[SecondStepErrorCode.NoPendingLogin];
  /** Always true: the message is safe to show. */
  readonly expose = true;
  /** No extra headers. */
  readonly headers: Record<string, string> = {};

  constructor(message = 'Your sign-in has expired. Sign in again with your password.') {
    super(message);
    this.name = 'NoPendingLoginError';
  }

  /** Alias of `status`, as http-errors provides. */
  get statusCode(): number {
    return this.status;
  }
}
