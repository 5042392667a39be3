/**
 * The HTTP-level refusals this package adds to core's error codes, and the one error class the
 * routes throw for them. Core's `TwoFactorError`s pass through unchanged.
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
 * A refusal raised by the routes themselves, in the `http-errors` shape (`status`, `expose`,
 * `headers`). The client-facing message comes from the text catalog, keyed by `code`.
 *
 * @example
 * ```ts
 * throw new RouteError(RouteErrorCode.Csrf, 403);
 * ```
 */
export class RouteError extends Error {
  /** Stable machine-readable code. */
  readonly code: RouteErrorCodeValue;
  /** HTTP status. */
  readonly status: number;
  /** Always true: these refusals are safe to show. */
  readonly expose = true;
  /** Extra response headers. */
  readonly headers: Record<string, string> = {};

  constructor(code: RouteErrorCodeValue, status: number) {
    super(code);
    this.name = 'RouteError';
    this.code = code;
    this.status = status;
  }
}
