/**
 * The storage contract of the password throttle (S32): four atomic primitives over rows keyed by an
 * account key or an address key. Each must hold when many processes call it at once for the same
 * key; `runPasswordThrottleConformanceSuite` of the test utilities checks an implementation.
 */

/** An account's consecutive wrong passwords and the backoff they earned. */
export interface PasswordAccountState {
  /** Consecutive wrong passwords since the last success. */
  failures: number;
  /** No password is checked before this instant; null when there is no wait. */
  nextAttemptAt: Date | null;
}

/** What {@link PasswordThrottleStore.countAddressAttempt} needs. */
export interface CountAddressAttemptInput {
  /** The address key (`ip:…`). */
  key: string;
  now: Date;
  /** The window length, in seconds. */
  windowSeconds: number;
  /** Attempts allowed per window (at least 1). */
  limit: number;
}

/** The answer of {@link PasswordThrottleStore.countAddressAttempt}. */
export type AddressAttemptCount = { counted: true } | { counted: false; windowEndsAt: Date };

/** What {@link PasswordThrottleStore.recordFailure} needs. */
export interface RecordPasswordFailureInput {
  /** The account key (`acct:…`). */
  key: string;
  now: Date;
  /** The wait, in seconds, that a count of consecutive failures earns. */
  backoffSeconds(failures: number): number;
}

/** What {@link PasswordThrottleStore.resetAfterSuccess} needs. */
export interface ResetPasswordFailuresInput {
  /** The account key (`acct:…`). */
  key: string;
  /** The failure count {@link PasswordThrottleStore.readAccount} returned before the password check. */
  failuresRead: number;
}

/**
 * Where the password throttle keeps its counts. Implementations: `MemoryPasswordThrottleStore`
 * (one process), `TypeOrmPasswordThrottleStore` of `@secondfactor/typeorm` (shared by instances).
 */
export interface PasswordThrottleStore {
  /**
   * Counts one attempt of the address in its current window, atomically: counted while fewer than
   * `limit` attempts were counted since the window began; a window older than `windowSeconds`
   * restarts at one for exactly one of several racing callers. Otherwise nothing is counted and the
   * answer says when the window ends.
   */
  countAddressAttempt(input: CountAddressAttemptInput): Promise<AddressAttemptCount>;

  /** The account's state, or null when it has none (never failed, or reset). */
  readAccount(key: string): Promise<PasswordAccountState | null>;

  /**
   * Adds one failure atomically (a parallel burst of n failures counts n) and sets the backoff of
   * the new count, from `now`, unless a later failure already set the next one. Returns the state
   * after this failure.
   */
  recordFailure(input: RecordPasswordFailureInput): Promise<PasswordAccountState>;

  /**
   * A correct password: sets the count back to 0 only if it is still `failuresRead` (no failure was
   * recorded since the read). Returns whether the count is 0 afterwards: false voids the success.
   */
  resetAfterSuccess(input: ResetPasswordFailuresInput): Promise<boolean>;
}
