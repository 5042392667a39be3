/**
 * The password step's throttle policy (S32): how many wrong passwords in a row are free, how the
 * wait then grows (never into a lock an attacker could trigger), and how many attempts one client
 * address gets per window. This module only computes; the counts live in a
 * {@link PasswordThrottleStore}.
 */
import { createHash } from 'node:crypto';
import { ConfigurationError } from './errors';

/** The password throttle's numbers. */
export interface PasswordThrottlePolicy {
  /** Wrong passwords in a row before any wait. Default 5. */
  freeFailures: number;
  /** The first wait, in seconds; each further failure doubles it. Default 60. */
  baseDelaySeconds: number;
  /** The longest wait, in seconds: the backoff never becomes a lock. Default 3600. */
  maxDelaySeconds: number;
  /** Attempts per client address per window (a host's `LOGIN_IP_LIMIT`); 0 turns the address limit off. Default 100. */
  addressLimit: number;
  /** The address window, in seconds. Default 600 (10 minutes). */
  addressWindowSeconds: number;
}

/**
 * The defaults: 5 free failures, then 1, 2, 4 … minutes up to an hour; 100 attempts per address per
 * 10 minutes. An attacker then gets at most 33 wrong passwords per account in 24 hours.
 *
 * @example
 * ```ts
 * const policy = { ...DEFAULT_PASSWORD_THROTTLE_POLICY, addressLimit: 0 }; // no address limit
 * ```
 */
export const DEFAULT_PASSWORD_THROTTLE_POLICY: Readonly<PasswordThrottlePolicy> = Object.freeze({
  freeFailures: 5,
  baseDelaySeconds: 60,
  maxDelaySeconds: 3600,
  addressLimit: 100,
  addressWindowSeconds: 600,
});

/** The longest a throttle key may be: the TypeORM store's key column holds 100 characters. */
export const MAX_PASSWORD_THROTTLE_KEY_LENGTH = 100;

/**
 * `options` over the defaults, checked: every number a non-negative integer, the delays positive
 * with `maxDelaySeconds >= baseDelaySeconds`, and a positive window. Otherwise a `ConfigurationError`.
 *
 * @example
 * ```ts
 * resolvePasswordThrottlePolicy({ addressLimit: 20 }).freeFailures; // 5
 * ```
 */
export function resolvePasswordThrottlePolicy(
  options: Partial<PasswordThrottlePolicy> = {},
): Readonly<PasswordThrottlePolicy> {
  const policy = { ...DEFAULT_PASSWORD_THROTTLE_POLICY, ...options };
  for (const [name, value] of Object.entries(policy))
    if (!Number.isSafeInteger(value) || value < 0)
      throw new ConfigurationError(`passwordThrottle.${name} must be a whole number of 0 or more.`);
  if (policy.baseDelaySeconds < 1 || policy.maxDelaySeconds < policy.baseDelaySeconds)
    throw new ConfigurationError('passwordThrottle delays must be positive, with maxDelaySeconds >= baseDelaySeconds.');
  if (policy.addressWindowSeconds < 1)
    throw new ConfigurationError('passwordThrottle.addressWindowSeconds must be at least 1.');
  return Object.freeze(policy);
}

/**
 * The wait after `failures` consecutive wrong passwords, in seconds: 0 while they are free, then
 * `baseDelaySeconds` doubling per failure up to `maxDelaySeconds`.
 *
 * @example
 * ```ts
 * [4, 5, 6, 11].map((n) => passwordBackoffSeconds(n)); // [0, 60, 120, 3600]
 * ```
 */
export function passwordBackoffSeconds(
  failures: number,
  policy: PasswordThrottlePolicy = DEFAULT_PASSWORD_THROTTLE_POLICY,
): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseDelaySeconds * 2 ** doublings, policy.maxDelaySeconds);
}

/**
 * An account's throttle key: `acct:` and the SHA-256 of the trimmed, lower-cased email. A known and
 * an unknown address are throttled alike (S32), and no store holds an address.
 *
 * @example
 * ```ts
 * passwordThrottleAccountKey(' Ada@Example.com') === passwordThrottleAccountKey('ada@example.com'); // true
 * ```
 */
export function passwordThrottleAccountKey(email: string): string {
  return `acct:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

/**
 * A client address's throttle key: `ip:` and the address (clients without one share `ip:unknown`),
 * cut to {@link MAX_PASSWORD_THROTTLE_KEY_LENGTH}.
 *
 * @example
 * ```ts
 * passwordThrottleAddressKey('203.0.113.7'); // 'ip:203.0.113.7'
 * ```
 */
export function passwordThrottleAddressKey(ip: string | undefined): string {
  return `ip:${ip || 'unknown'}`.slice(0, MAX_PASSWORD_THROTTLE_KEY_LENGTH);
}
