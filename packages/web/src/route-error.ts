/**
 * The HTTP-level refusals this package adds to core's error codes, each with its one status, and
 * the one error class the routes throw for them. Core's `TwoFactorError`s and passport-totp's
 * `NoPendingLoginError` pass through unchanged, with their own codes and statuses.
 */

/**
 * Stable codes of refusals that come from the HTTP layer rather than from the service.
 *
 * @example
 * ```ts
 * if (body.error.code === RouteErrorCode.SecondFactorRequired) location.assign('/login/two-factor');
 * ```
 */
export const RouteErrorCode = {
  /** 403: the CSRF token was missing or wrong, or no CSRF protection ran before the routes (S25). */
  Csrf: 'TWO_FACTOR_CSRF',
  /** 401: nobody is signed in, or a pending login expired (S8, S20). */
  SignInRequired: 'TWO_FACTOR_SIGN_IN_REQUIRED',
  /** 401: the password step succeeded, the second factor is still due (S20). */
  SecondFactorRequired: 'TWO_FACTOR_REQUIRED',
  /** 401: a sensitive action needs a recent second-factor verification in this session (S35); the answer carries `stepUpUrl`. */
  StepUpRequired: 'TWO_FACTOR_STEP_UP_REQUIRED',
  /**
   * 403: the 2FA policy requires this user to enroll and the grace deadline has passed: only the
   * enrollment routes, Security Settings, the session probe and logout are reachable (S36).
   */
  EnrollmentRequired: 'TWO_FACTOR_ENROLLMENT_REQUIRED',
  /**
   * 429: the password step's throttle refused (S32): the client address used its attempts for the
   * window, or the account waits out its backoff. The answer carries `Retry-After`.
   */
  TooManyAttempts: 'TOO_MANY_ATTEMPTS',
  /** 401: the email or the password is not correct, or the success was voided by a parallel failure (S14, S32). */
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** 409: the challenge was asked for by a session that is already signed in: there is no login to finish. */
  AlreadySignedIn: 'TWO_FACTOR_ALREADY_SIGNED_IN',
  /** 500: an unexpected fault; the details go to the host's error log, never to the client. */
  Internal: 'TWO_FACTOR_INTERNAL',
} as const;

/**
 * One of the values of {@link RouteErrorCode}.
 *
 * @example
 * ```ts
 * const code: RouteErrorCodeValue = 'TWO_FACTOR_CSRF';
 * ```
 */
export type RouteErrorCodeValue = (typeof RouteErrorCode)[keyof typeof RouteErrorCode];

/**
 * The one HTTP status of each {@link RouteErrorCode}; a {@link RouteError} always carries it.
 *
 * @example
 * ```ts
 * ROUTE_ERROR_STATUS.TWO_FACTOR_CSRF; // 403
 * ```
 */
export const ROUTE_ERROR_STATUS = Object.freeze({
  TWO_FACTOR_CSRF: 403,
  TWO_FACTOR_SIGN_IN_REQUIRED: 401,
  TWO_FACTOR_REQUIRED: 401,
  TWO_FACTOR_STEP_UP_REQUIRED: 401,
  TWO_FACTOR_ENROLLMENT_REQUIRED: 403,
  TOO_MANY_ATTEMPTS: 429,
  INVALID_CREDENTIALS: 401,
  TWO_FACTOR_ALREADY_SIGNED_IN: 409,
  TWO_FACTOR_INTERNAL: 500,
} as const satisfies Record<RouteErrorCodeValue, number>);

/**
 * A refusal raised by the routes themselves, in the `http-errors` shape (`status`, `expose`,
 * `headers`). The client-facing message comes from the text catalog, keyed by `code`.
 *
 * @example
 * ```ts
 * throw new RouteError(RouteErrorCode.Csrf); // 403
 * ```
 */
export class RouteError extends Error {
  /** Stable machine-readable code. */
  readonly code: RouteErrorCodeValue;
  /** The code's one HTTP status, from {@link ROUTE_ERROR_STATUS}. */
  readonly status: number;
  /** Always true: these refusals are safe to show. */
  readonly expose = true;
  /** Extra response headers. */
  readonly headers: Record<string, string> = {};

  constructor(code: RouteErrorCodeValue) {
    super(code);
    this.name = 'RouteError';
    this.code = code;
    this.status = ROUTE_ERROR_STATUS[code];
  }
}
