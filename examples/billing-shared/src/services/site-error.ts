/** The site's own expected errors, in the `http-errors` shape Koa understands. */

/**
 * Stable error codes of the site's own routes (2FA routes use the `TWO_FACTOR_*` codes).
 */
export const SiteErrorCode = {
  InvalidInput: 'INVALID_INPUT',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  EmailTaken: 'EMAIL_TAKEN',
  TooManyAttempts: 'TOO_MANY_ATTEMPTS',
  NotSignedIn: 'NOT_SIGNED_IN',
  Forbidden: 'FORBIDDEN',
  CsrfInvalid: 'CSRF_INVALID',
  NotFound: 'NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  BadRequest: 'BAD_REQUEST',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_ERROR',
} as const;

/** One of the values of {@link SiteErrorCode}. */
export type SiteErrorCodeValue = (typeof SiteErrorCode)[keyof typeof SiteErrorCode];

/**
 * An expected failure with a status, a stable code and a message safe to show.
 */
export class SiteError extends Error {
  /** Shown to the client when the status is below 500 (Koa's convention). */
  readonly expose: boolean;

  constructor(
    readonly status: number,
    readonly code: SiteErrorCodeValue,
    message: string,
    /** Per-field messages for forms. */
    readonly fields: Record<string, string> = {},
    /** Headers of the answer, e.g. `Retry-After` for 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SiteError';
    this.expose = status < 500;
  }
}

/**
 * 429 `TOO_MANY_ATTEMPTS` with `Retry-After`: a throttle refused the attempt (S29, S32). The
 * message says how long to wait, the same for every account.
 */
export function tooManyAttempts(retryAfterSeconds: number): SiteError {
  const wait = retryAfterSeconds;
  return new SiteError(
    429,
    SiteErrorCode.TooManyAttempts,
    `Too many attempts. Try again in ${wait < 120 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.`,
    {},
    { 'Retry-After': String(wait) },
  );
}
