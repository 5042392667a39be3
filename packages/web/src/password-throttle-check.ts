/**
 * The password step's throttle (S32) around a host's own password check, framework-free: the
 * client address is counted, the account's backoff consulted, the password checked, and the
 * failure or success recorded, in that order. A host calls it from `POST /login` (or any route
 * that checks a password) and answers the refusal it returns.
 */
import type { PasswordAccountDecision, PasswordThrottle, PasswordThrottleDecision } from '@secondfactor/core';
import { RouteErrorCode } from './route-error';

/** Who is trying: the email typed and the client address (`undefined` shares one bucket). */
export interface PasswordAttempt {
  email: string;
  ip?: string;
}

/** A refusal for too many attempts: 429 `TOO_MANY_ATTEMPTS`, with the wait and its header. */
export interface TooManyAttemptsRefusal {
  ok: false;
  status: 429;
  code: typeof RouteErrorCode.TooManyAttempts;
  /** Whole seconds to wait (at least 1), as `Retry-After` says. */
  retryAfterSeconds: number;
  headers: { 'Retry-After': string };
  /** Which limit refused: the client address's window or the account's backoff. */
  limit: 'address' | 'account';
}

/** A refusal for wrong credentials: 401 `INVALID_CREDENTIALS`, the same for an unknown email. */
export interface InvalidCredentialsRefusal {
  ok: false;
  status: 401;
  code: typeof RouteErrorCode.InvalidCredentials;
  /** `wrong_password` (or an unknown email), or `burst_voided`: right, but a failure was recorded since the claim. */
  reason: 'wrong_password' | 'burst_voided';
}

/** What {@link checkPasswordThrottled} gives: the checked user, or a refusal to answer. */
export type ThrottledPasswordCheck<User> =
  { ok: true; user: User } | TooManyAttemptsRefusal | InvalidCredentialsRefusal;

/** The parts of core's `PasswordThrottle` this helper calls. */
export type PasswordStepThrottle = Pick<PasswordThrottle, 'claimAddress' | 'claimAccount' | 'failed' | 'succeeded'>;

/** The 429 refusal for a wait of `retryAfterSeconds`. */
export function tooManyAttempts(retryAfterSeconds: number, limit: 'address' | 'account'): TooManyAttemptsRefusal {
  return {
    ok: false,
    status: 429,
    code: RouteErrorCode.TooManyAttempts,
    retryAfterSeconds,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    limit,
  };
}

/**
 * Runs `check` (the host's password check: the user, or null/undefined/false for a wrong email or
 * password) under the password throttle:
 * - the address is counted first, then the account's backoff is read: a refusal of either is 429
 *   and `check` does not run (a correct password is refused too, S32);
 * - a wrong password records a failure (401 `wrong_password`);
 * - a correct one resets the count, unless a failure was recorded since the read: then it is void
 *   (401 `burst_voided`), so a parallel burst gets no more than sequential tries.
 *
 * The account key is a hash of the email, so known and unknown emails are counted and answered
 * alike; `check` should cost one password hash either way. A store fault rejects (fail closed).
 *
 * @example
 * ```ts
 * const result = await checkPasswordThrottled(throttle, { email, ip: ctx.ip }, () => users.verify(email, password));
 * if (!result.ok) {
 *   ctx.set(result.status === 429 ? result.headers : {});
 *   ctx.status = result.status;
 *   ctx.body = { error: { code: result.code } };
 *   return;
 * }
 * await twoFactor.beginSecondFactor(ctx, result.user);
 * ```
 */
export async function checkPasswordThrottled<User>(
  throttle: PasswordStepThrottle,
  attempt: PasswordAttempt,
  check: () => Promise<User | null | undefined | false>,
): Promise<ThrottledPasswordCheck<User>> {
  const address: PasswordThrottleDecision = await throttle.claimAddress(attempt.ip);
  if (!address.ok) return tooManyAttempts(address.retryAfterSeconds, 'address');
  const account: PasswordAccountDecision = await throttle.claimAccount(attempt.email);
  if (!account.ok) return tooManyAttempts(account.retryAfterSeconds, 'account');
  const user = await check();
  if (user === null || user === undefined || user === false) {
    await throttle.failed(account);
    return invalidCredentials('wrong_password');
  }
  // A failure recorded since the claim voids this success (S32: a burst is worth no more than sequential tries).
  if (!(await throttle.succeeded(account))) return invalidCredentials('burst_voided');
  return { ok: true, user };
}

function invalidCredentials(reason: InvalidCredentialsRefusal['reason']): InvalidCredentialsRefusal {
  return { ok: false, status: 401, code: RouteErrorCode.InvalidCredentials, reason };
}
