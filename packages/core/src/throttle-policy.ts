/**
 * The brute-force policy (S16): a few free attempts, then exponential backoff, then a lock after
 * `maxFailures` consecutive failures. The counter lives in the store, so it survives sessions,
 * IPs and restarts; this module only decides what a given count means.
 */
import { ConfigurationError } from './errors';
import type { ThrottleDecision } from './store';

/** Throttling options. */
export interface ThrottlePolicyOptions {
  /** Consecutive failures allowed before any backoff. Default 3. */
  freeAttempts: number;
  /** Backoff after the first failure past the free ones, doubled after each further failure. Default 2. */
  baseDelaySeconds: number;
  /** The longest single backoff. Default 900 (15 min). */
  maxDelaySeconds: number;
  /** Consecutive failures that lock the factor. Default 10, never above 100 (NIST 800-63B §5.2.2). */
  maxFailures: number;
}

/** The defaults: 3 free attempts, then 2 s, 4 s, 8 s… capped at 15 min; lock at 10. */
export const DEFAULT_THROTTLE_POLICY: Readonly<ThrottlePolicyOptions> = Object.freeze({
  freeAttempts: 3,
  baseDelaySeconds: 2,
  maxDelaySeconds: 900,
  maxFailures: 10,
});

/** The hard ceiling on `maxFailures` (NIST 800-63B §5.2.2). */
export const MAX_FAILURES_CEILING = 100;

/**
 * Decides the backoff and lock for a consecutive-failure count.
 *
 * @example
 * ```ts
 * const policy = new ThrottlePolicy();
 * policy.decide(4, new Date(0)).backoffUntil?.getTime(); // 2000 (2 s after the epoch)
 * policy.decide(10, new Date(0)).lock; // true
 * ```
 */
export class ThrottlePolicy {
  /** The effective options. */
  readonly options: Readonly<ThrottlePolicyOptions>;

  constructor(options: Partial<ThrottlePolicyOptions> = {}) {
    const merged = { ...DEFAULT_THROTTLE_POLICY, ...options };
    const { freeAttempts, baseDelaySeconds, maxDelaySeconds, maxFailures } = merged;
    if (!Number.isInteger(maxFailures) || maxFailures < 1 || maxFailures > MAX_FAILURES_CEILING) {
      throw new ConfigurationError(`throttle.maxFailures must be an integer from 1 to ${MAX_FAILURES_CEILING}.`);
    }
    if (!Number.isInteger(freeAttempts) || freeAttempts < 0 || freeAttempts > maxFailures) {
      throw new ConfigurationError('throttle.freeAttempts must be an integer from 0 to maxFailures.');
    }
    if (!(baseDelaySeconds > 0) || !(maxDelaySeconds >= baseDelaySeconds)) {
      throw new ConfigurationError('throttle delays must be positive, with maxDelaySeconds >= baseDelaySeconds.');
    }
    this.options = Object.freeze(merged);
  }

  /** The backoff and lock after `failureCount` consecutive failures, as of `now`. */
  decide(failureCount: number, now: Date): ThrottleDecision {
    const { freeAttempts, baseDelaySeconds, maxDelaySeconds, maxFailures } = this.options;
    if (failureCount >= maxFailures) return { backoffUntil: null, lock: true };
    if (failureCount <= freeAttempts) return { backoffUntil: null, lock: false };
    const exponent = Math.min(failureCount - freeAttempts - 1, 30);
    const seconds = Math.min(baseDelaySeconds * 2 ** exponent, maxDelaySeconds);
    return { backoffUntil: new Date(now.getTime() + seconds * 1000), lock: false };
  }
}
