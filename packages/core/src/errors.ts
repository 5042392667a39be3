/**
 * Every error secondfactor raises or returns carries a stable `code`, an HTTP `status`,
 * `expose` and `headers`, in the shape Koa's default error handler and `http-errors` use.
 */

/** Stable error codes. Hosts and clients may switch on these; they never change meaning. */
export const TwoFactorErrorCode = {
  InvalidInput: 'TWO_FACTOR_INVALID_INPUT',
  InvalidCode: 'TWO_FACTOR_INVALID_CODE',
  InvalidPassword: 'TWO_FACTOR_INVALID_PASSWORD',
  NotEligible: 'TWO_FACTOR_NOT_ELIGIBLE',
  AlreadyEnabled: 'TWO_FACTOR_ALREADY_ENABLED',
  NotEnabled: 'TWO_FACTOR_NOT_ENABLED',
  NoPendingEnrollment: 'TWO_FACTOR_NO_PENDING_ENROLLMENT',
  EnrollmentExpired: 'TWO_FACTOR_ENROLLMENT_EXPIRED',
  NoPendingLogin: 'TWO_FACTOR_NO_PENDING_LOGIN',
  Throttled: 'TWO_FACTOR_THROTTLED',
  Locked: 'TWO_FACTOR_LOCKED',
  KeyUnavailable: 'TWO_FACTOR_KEY_UNAVAILABLE',
  DecryptionFailed: 'TWO_FACTOR_DECRYPTION_FAILED',
  StoreUnavailable: 'TWO_FACTOR_UNAVAILABLE',
  Configuration: 'TWO_FACTOR_CONFIGURATION',
} as const;

/** One of the values of {@link TwoFactorErrorCode}. */
export type TwoFactorErrorCodeValue = (typeof TwoFactorErrorCode)[keyof typeof TwoFactorErrorCode];

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
  /** HTTP status an adapter should answer with. */
  readonly status: number;
  /** Whether `message` is safe to show a client (true for every 4xx). */
  readonly expose: boolean;
  /** Response headers an adapter should set. */
  readonly headers: Record<string, string>;

  constructor(code: TwoFactorErrorCodeValue, status: number, message: string, options: TwoFactorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.expose = status < 500;
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
    super(TwoFactorErrorCode.InvalidInput, 400, message);
  }
}

/**
 * 401: the code or backup code was wrong, replayed or outside the window. One message for
 * every such failure (S14); the precise reason goes to events only.
 */
export class InvalidCodeError extends TwoFactorError {
  constructor(message = 'The code is not valid.') {
    super(TwoFactorErrorCode.InvalidCode, 401, message);
  }
}

/** 401: re-authentication with the current password failed (S8). */
export class InvalidPasswordError extends TwoFactorError {
  constructor(message = 'The password is not correct.') {
    super(TwoFactorErrorCode.InvalidPassword, 401, message);
  }
}

/** 403: the account may not use two-factor authentication, e.g. a sub-account (S9). */
export class NotEligibleError extends TwoFactorError {
  constructor(message = 'Two-factor authentication is not available for this account.') {
    super(TwoFactorErrorCode.NotEligible, 403, message);
  }
}

/** 409: the operation does not fit the credential's state (already enabled, not enabled, no pending enrollment). */
export class TwoFactorStateError extends TwoFactorError {
  constructor(
    code:
      | typeof TwoFactorErrorCode.AlreadyEnabled
      | typeof TwoFactorErrorCode.NotEnabled
      | typeof TwoFactorErrorCode.NoPendingEnrollment
      | typeof TwoFactorErrorCode.EnrollmentExpired
      | typeof TwoFactorErrorCode.NoPendingLogin,
    message: string,
  ) {
    super(code, 409, message);
  }
}

/** 423: too many consecutive failures; only an admin unlock or a host-approved recovery lifts it (S16). */
export class LockedError extends TwoFactorError {
  constructor(message = 'Two-factor authentication is locked after too many failed attempts. Contact support.') {
    super(TwoFactorErrorCode.Locked, 423, message);
  }
}

/** 429: an attempt during backoff; even a correct code is refused and not counted (S16). */
export class ThrottledError extends TwoFactorError {
  /** Whole seconds until the next attempt is allowed (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = 'Too many attempts. Try again later.') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(TwoFactorErrorCode.Throttled, 429, message, { headers: { 'Retry-After': String(seconds) } });
    this.retryAfterSeconds = seconds;
  }
}

/** 500: the keyring lacks the key a ciphertext names, or has no current key. Never exposed. */
export class KeyUnavailableError extends TwoFactorError {
  constructor(message: string) {
    super(TwoFactorErrorCode.KeyUnavailable, 500, message);
  }
}

/** 500: a stored secret failed authentication (wrong key, tampered, or bound to another user). Never exposed. */
export class DecryptionError extends TwoFactorError {
  constructor(message = 'The stored secret could not be decrypted.', options: TwoFactorErrorOptions = {}) {
    super(TwoFactorErrorCode.DecryptionFailed, 500, message, options);
  }
}

/** 503: the store (database) is unreachable. Adapters map connection faults to this. */
export class StoreUnavailableError extends TwoFactorError {
  constructor(message = 'Two-factor authentication is temporarily unavailable.', options: TwoFactorErrorOptions = {}) {
    super(TwoFactorErrorCode.StoreUnavailable, 503, message, options);
  }
}

/** Thrown at setup for bad options: a programmer error, never a request outcome. */
export class ConfigurationError extends TwoFactorError {
  constructor(message: string) {
    super(TwoFactorErrorCode.Configuration, 500, message);
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
