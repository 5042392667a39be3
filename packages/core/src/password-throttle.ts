/**
 * The password step's throttle (S32): a per-account count of consecutive wrong passwords with
 * exponential backoff (never a lock an attacker could trigger), and a per-address limit on
 * password and registration attempts. Framework-free: a host calls {@link PasswordThrottle.claimAddress}
 * and {@link PasswordThrottle.claimAccount} before its password check, then
 * {@link PasswordThrottle.failed} or {@link PasswordThrottle.succeeded}. The counts move in a
 * {@link PasswordThrottleStore}, so instances sharing one agree.
 */
import {
  passwordBackoffSeconds,
  passwordThrottleAccountKey,
  passwordThrottleAddressKey,
  resolvePasswordThrottlePolicy,
  type PasswordThrottlePolicy,
} from './password-throttle-policy';
import type { PasswordThrottleStore } from './password-throttle-store';

/** Go ahead, or wait `retryAfterSeconds` (at least 1). */
export type PasswordThrottleDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A go-ahead of {@link PasswordThrottle.claimAccount}: the account key and the failure count it read. */
export interface PasswordAccountClaim {
  ok: true;
  key: string;
  failuresRead: number;
}

/** The answer of {@link PasswordThrottle.claimAccount}: a claim to settle, or a wait. */
export type PasswordAccountDecision = PasswordAccountClaim | { ok: false; retryAfterSeconds: number };

/** Options of {@link PasswordThrottle}. */
export interface PasswordThrottleOptions {
  /** Overrides of {@link DEFAULT_PASSWORD_THROTTLE_POLICY}. */
  policy?: Partial<PasswordThrottlePolicy>;
  /** The clock; default the system time. */
  clock?: () => Date;
}

/** Whole seconds from `now` until `until`, at least 1. */
function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * The password step's gate over a {@link PasswordThrottleStore}.
 *
 * @example
 * ```ts
 * const throttle = new PasswordThrottle(new MemoryPasswordThrottleStore());
 * const address = await throttle.claimAddress(ip);
 * const account = address.ok ? await throttle.claimAccount(email) : address;
 * if (!account.ok) return tooManyAttempts(account.retryAfterSeconds); // 429 + Retry-After
 * const user = await checkPassword(email, password);
 * if (user && (await throttle.succeeded(account))) return signIn(user);
 * if (!user) await throttle.failed(account);
 * return invalidCredentials(); // 401, also for a success voided by a parallel failure
 * ```
 */
export class PasswordThrottle {
  /** The effective policy. */
  readonly policy: Readonly<PasswordThrottlePolicy>;
  private readonly clock: () => Date;

  constructor(
    private readonly store: PasswordThrottleStore,
    options: PasswordThrottleOptions = {},
  ) {
    this.policy = resolvePasswordThrottlePolicy(options.policy);
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Counts one attempt from `ip` (a sign-in or a registration). Refused once the address used
   * `addressLimit` attempts in the current window; clients without an address share one bucket.
   * Always a go-ahead when `addressLimit` is 0.
   */
  async claimAddress(ip: string | undefined): Promise<PasswordThrottleDecision> {
    const { addressLimit, addressWindowSeconds } = this.policy;
    if (addressLimit === 0) return { ok: true };
    const now = this.clock();
    const count = await this.store.countAddressAttempt({
      key: passwordThrottleAddressKey(ip),
      now,
      windowSeconds: addressWindowSeconds,
      limit: addressLimit,
    });
    return count.counted ? { ok: true } : { ok: false, retryAfterSeconds: secondsUntil(count.windowEndsAt, now) };
  }

  /**
   * Whether the account of `email` may have its password checked now: refused during backoff (a
   * correct password too). A go-ahead carries the failure count it read, for {@link failed} and
   * {@link succeeded}. Known and unknown emails are treated alike.
   */
  async claimAccount(email: string): Promise<PasswordAccountDecision> {
    const key = passwordThrottleAccountKey(email);
    const now = this.clock();
    const state = await this.store.readAccount(key);
    if (state?.nextAttemptAt && state.nextAttemptAt.getTime() > now.getTime())
      return { ok: false, retryAfterSeconds: secondsUntil(state.nextAttemptAt, now) };
    return { ok: true, key, failuresRead: state?.failures ?? 0 };
  }

  /** A wrong password: one more failure, and its backoff. Returns the wait now due, in seconds (0 while free). */
  async failed(claim: PasswordAccountClaim): Promise<number> {
    const state = await this.store.recordFailure({
      key: claim.key,
      now: this.clock(),
      backoffSeconds: (failures) => passwordBackoffSeconds(failures, this.policy),
    });
    return passwordBackoffSeconds(state.failures, this.policy);
  }

  /**
   * A correct password: the count starts again. False when a failure was recorded since the claim
   * read the count: a parallel burst is then worth no more than sequential tries, and the caller
   * answers as for a wrong password.
   */
  async succeeded(claim: PasswordAccountClaim): Promise<boolean> {
    return this.store.resetAfterSuccess({ key: claim.key, failuresRead: claim.failuresRead });
  }
}
