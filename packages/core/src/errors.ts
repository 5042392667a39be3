/**
 * Every error secondfactor raises or returns carries a stable `code`, an HTTP `status`,
 * `expose` and `headers`, in the shape Koa's default error handler and `http-errors` use.
 */

/**
 * Stable codes of the errors core raises or returns. Hosts and clients may switch on these; they
 * never change meaning. Each has exactly one HTTP status, {@link TWO_FACTOR_ERROR_STATUS}. Codes
 * the HTTP layer adds live in `@secondfactor/web` and `@secondfactor/passport-totp`.
 */
export const TwoFactorErrorCode = {
  InvalidInput: 'TWO_FACTOR_INVALID_INPUT',
  InvalidUserId: 'TWO_FACTOR_INVALID_USER_ID',
  InvalidCode: 'TWO_FACTOR_INVALID_CODE',
  InvalidPassword: 'TWO_FACTOR_INVALID_PASSWORD',
  NotEligible: 'TWO_FACTOR_NOT_ELIGIBLE',
  AlreadyEnabled: 'TWO_FACTOR_ALREADY_ENABLED',
  NotEnabled: 'TWO_FACTOR_NOT_ENABLED',
  NoPendingEnrollment: 'TWO_FACTOR_NO_PENDING_ENROLLMENT',
  EnrollmentExpired: 'TWO_FACTOR_ENROLLMENT_EXPIRED',
  RequiredByPolicy: 'TWO_FACTOR_REQUIRED_BY_POLICY',
  Throttled: 'TWO_FACTOR_THROTTLED',
  Locked: 'TWO_FACTOR_LOCKED',
  KeyUnavailable: 'TWO_FACTOR_KEY_UNAVAILABLE',
  DecryptionFailed: 'TWO_FACTOR_DECRYPTION_FAILED',
  StoreUnavailable: 'TWO_FACTOR_UNAVAILABLE',
  Configuration: 'TWO_FACTOR_CONFIGURATION',
} as const;

/** One of the values of {@link TwoFactorErrorCode}. */
export type TwoFactorErrorCodeValue = (typeof TwoFactorErrorCode)[keyof typeof TwoFactorErrorCode];

/** The one HTTP status of each {@link TwoFactorErrorCode}; every error with that code carries it. */
export const TWO_FACTOR_ERROR_STATUS: Readonly<Record<TwoFactorErrorCodeValue, number>> = Object.freeze({
  TWO_FACTOR_INVALID_INPUT: 400,
  TWO_FACTOR_INVALID_USER_ID: 400,
  TWO_FACTOR_INVALID_CODE: 401,
  TWO_FACTOR_INVALID_PASSWORD: 401,
  TWO_FACTOR_NOT_ELIGIBLE: 403,
  TWO_FACTOR_ALREADY_ENABLED: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  TWO_FACTOR_NO_PENDING_ENROLLMENT: 409,
  TWO_FACTOR_ENROLLMENT_EXPIRED: 409,
  TWO_FACTOR_REQUIRED_BY_POLICY: 409,
  TWO_FACTOR_LOCKED: 423,
  TWO_FACTOR_THROTTLED: 429,
  TWO_FACTOR_KEY_UNAVAILABLE: 500,
  TWO_FACTOR_DECRYPTION_FAILED: 500,
  TWO_FACTOR_CONFIGURATION: 500,
  TWO_FACTOR_UNAVAILABLE: 503,
});

/** Options shared by every {@link TwoFactorError}. */
export interface TwoFactorErrorOptions {
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** The underlying fault, kept for logs; never sent to a client. */
  cause?: unknown;
}

/**
 * Base class of every secondfactor error.
 *
 * @example
 * ```ts
 * const err = new InvalidCodeError();
 * err.status; // 401
 * err.code;   // 'TWO_FACTOR_INVALID_CODE'
 * ```
 */
export class TwoFactorError extends Error {
  /** Stable machine-readable code. */
  readonly code: TwoFactorErrorCodeValue;
  /** HTTP status an adapter should answer with: the code's one status in {@link TWO_FACTOR_ERROR_STATUS}. */
  readonly status: number;
  /** Whether `message` is safe to show a client (true for every 4xx). */
  readonly expose: boolean;
  /** Response headers an adapter should set. */
  readonly headers: Record<string, string>;

  constructor(code: TwoFactorErrorCodeValue, message: string, options: TwoFactorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = TWO_FACTOR_ERROR_STATUS[code];
    this.expose = this.status < 500;
    this.headers = options.headers ?? {};
  }

  /** Alias of `status`, as http-errors provides. */
  get statusCode(): number {
    return this.status;
  }
}

/** 400: the input is not of the expected form (not a string, wrong length, non-ASCII digits, too large). */
export class InvalidInputError extends TwoFactorError {
  constructor(message = 'The code is not in the expected format.') {
    super(TwoFactorErrorCode.InvalidInput, message);
  }
}

/**
 * 400: the user id the host passed is not one every store can hold and keep apart from the others
 * (see `isValidUserId`). The service checks it before any store call.
 */
export class InvalidUserIdError extends TwoFactorError {
  constructor(message = 'The account could not be identified. Log in again.') {
    super(TwoFactorErrorCode.InvalidUserId, message);
  }
}

/**
 * 401: the code or backup code was wrong, replayed or outside the window. One message for
 * every such failure (S14); the precise reason goes to events only.
 */
export class InvalidCodeError extends TwoFactorError {
  constructor(message = 'The code is not valid.') {
    super(TwoFactorErrorCode.InvalidCode, message);
  }
}

/** 401: re-authentication with the current password failed (S8). */
export class InvalidPasswordError extends TwoFactorError {
  constructor(message = 'The password is not correct.') {
    super(TwoFactorErrorCode.InvalidPassword, message);
  }
}

/** 403: the account may not use two-factor authentication, e.g. a sub-account (S9). */
export class NotEligibleError extends TwoFactorError {
  constructor(message = 'Two-factor authentication is not available for this account.') {
    super(TwoFactorErrorCode.NotEligible, message);
  }
}

/**
 * 409: the operation does not fit the credential's state (already enabled, not enabled, no pending
 * enrollment), or the 2FA policy requires the factor the user tried to turn off (S36).
 */
export class TwoFactorStateError extends TwoFactorError {
  constructor(
    code:
      | typeof TwoFactorErrorCode.AlreadyEnabled
      | typeof TwoFactorErrorCode.NotEnabled
      | typeof TwoFactorErrorCode.NoPendingEnrollment
      | typeof TwoFactorErrorCode.EnrollmentExpired
      | typeof TwoFactorErrorCode.RequiredByPolicy,
    message: string,
  ) {
    super(code, message);
  }
}

/** 423: too many consecutive failures; only an admin unlock or a host-approved recovery lifts it (S16). */
export class LockedError extends TwoFactorError {
  constructor(message = 'Two-factor authentication is locked after too many failed attempts. Contact support.') {
    super(TwoFactorErrorCode.Locked, message);
  }
}

/** 429: an attempt during backoff; even a correct code is refused and not counted (S16). */
export class ThrottledError extends TwoFactorError {
  /** Whole seconds until the next attempt is allowed (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'Too many attempts. Try again later.') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(TwoFactorErrorCode.Throttled, message, { headers: { 'Retry-After': String(seconds) } });
    this.retryAfterSeconds = seconds;
  }
}

/** 500: the keyring lacks the key a ciphertext names, or has no current key. Never exposed. */
export class KeyUnavailableError extends TwoFactorError {
  constructor(message: string) {
    super(TwoFactorErrorCode.KeyUnavailable, message);
  }
}

/** 500: a stored secret failed authentication (wrong key, tampered, or bound to another user). Never exposed. */
export class DecryptionError extends TwoFactorError {
  constructor(message = 'The stored secret could not be decrypted.', options: TwoFactorErrorOptions = {}) {
    super(TwoFactorErrorCode.DecryptionFailed, message, options);
  }
}

/** 503: the store (database) is unreachable. Adapters map connection faults to this. */
export class StoreUnavailableError extends TwoFactorError {
  constructor(message = 'Two-factor authentication is temporarily unavailable.', options: TwoFactorErrorOptions = {}) {
    super(TwoFactorErrorCode.StoreUnavailable, message, options);
  }
}

/** Thrown at setup for bad options: a programmer error, never a request outcome. */
export class ConfigurationError extends TwoFactorError {
  constructor(message: string) {
    super(TwoFactorErrorCode.Configuration, message);
  }
}

/** True when `value` is a {@link TwoFactorError} (works across duplicated package copies). */
export function isTwoFactorError(value: unknown): value is TwoFactorError {
  return (
    value instanceof TwoFactorError ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { code?: unknown }).code === 'string' &&
      (value as { code: string }).code.startsWith('TWO_FACTOR_') &&
      typeof (value as { status?: unknown }).status === 'number')
  );
}
