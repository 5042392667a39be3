/**
 * Password re-authentication before a sensitive change (S8, S29). It is an attempt like a code:
 * the same gate (423 while locked, 429 during backoff, neither counted, and no password check),
 * the same failure counter, charged before the password is checked, and a compare-and-set, so a
 * failure counted since the charge voids a correct password.
 */
import { gate, reportFailure } from './attempt-guard';
import { InvalidInputError, InvalidPasswordError, LockedError, ThrottledError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType, type RequestMeta } from './events';
import type { TwoFactorFailure, TwoFactorOutcome } from './outcome';
import { requestMeta, type ServiceContext } from './service-context';
import type { UserInput } from './service-types';
import type { CredentialRecord, FailureState } from './store';

const NOT_ENABLED = 'Two-factor authentication is not enabled.';
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Checks the current password of a user with active 2FA. `verifyPassword` runs only for an attempt
 * the store has already counted (`chargeAttempt`), so a parallel burst gets no more password checks
 * than the same guesses in sequence, and none at all while locked. The count is given back only by
 * `acceptChargedAttempt`, which fails if any other attempt was counted meanwhile; such a correct
 * password is answered exactly like a wrong one, so a burst cannot tell which guess was right.
 */
export async function reauthenticate(
  ctx: ServiceContext,
  input: UserInput & { password: unknown },
): Promise<TwoFactorOutcome<{ record: CredentialRecord }>> {
  const { userId, meta } = input;
  const refused = await ctx.refuseIneligible(userId, meta);
  if (refused) return refused;
  const now = ctx.clock();
  const credential = await ctx.store.findByUserId(userId);
  if (!credential || credential.state !== 'active')
    return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
  const { password } = input;
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) {
    return ctx.fail(
      { type: TwoFactorEventType.ReauthFailed, userId, at: now, reason: 'malformed_input', ...requestMeta(meta) },
      new InvalidInputError('The password is required.'),
    );
  }
  const blocked = await gate(ctx, credential, now, meta);
  if (blocked) return blocked;
  const charged = await ctx.store.chargeAttempt({
    credentialId: credential.id,
    now,
    decide: (count) => ctx.throttle.decide(count, now),
  });
  if (!charged) return refuseUncharged(ctx, credential, now, meta);
  // The charge stands if verifyPassword throws: an attempt whose check failed to finish is not free.
  const correct = await ctx.options.verifyPassword(userId, password);
  const accepted =
    correct &&
    (await ctx.store.acceptChargedAttempt({
      credentialId: credential.id,
      chargedFailureCount: charged.failureCount,
      now,
    }));
  if (accepted) return { ok: true, record: credential };
  return chargedFailure(ctx, credential, charged, now, meta, correct ? 'concurrent_failure' : 'wrong_password');
}

/** A charged attempt that did not pass: its charge is the counted failure. 401, or 423 if it locked. */
async function chargedFailure(
  ctx: ServiceContext,
  credential: CredentialRecord,
  charged: FailureState,
  now: Date,
  meta: RequestMeta | undefined,
  reason: 'wrong_password' | 'concurrent_failure',
): Promise<TwoFactorFailure> {
  const event = { type: TwoFactorEventType.ReauthFailed, userId: credential.userId, at: now, reason };
  await reportFailure(ctx, credential, now, { ...event, ...requestMeta(meta) }, charged);
  // The same answer for a wrong password and a voided right one: a burst learns nothing (S14).
  if (charged.lockedAt) return { ok: false, error: new LockedError(), reason: 'locked' };
  return { ok: false, error: new InvalidPasswordError(), reason };
}

/**
 * The store refused the charge: since the read, a parallel attempt locked the factor, started a
 * backoff, or the credential went away. Re-reads to answer 423, 429 or 409; nothing is counted.
 */
async function refuseUncharged(
  ctx: ServiceContext,
  read: CredentialRecord,
  now: Date,
  meta: RequestMeta | undefined,
): Promise<TwoFactorFailure> {
  const current = await ctx.store.findByUserId(read.userId);
  if (!current || current.state !== 'active' || current.id !== read.id)
    return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
  const blocked = await gate(ctx, current, now, meta);
  if (blocked) return blocked;
  // Open again already (an unlock landed in between): refused uncounted, and the client may retry at once.
  const error = new ThrottledError(1);
  return ctx.fail(
    {
      type: TwoFactorEventType.Throttled,
      userId: read.userId,
      at: now,
      reason: 'backoff',
      retryAfterSeconds: error.retryAfterSeconds,
      ...requestMeta(meta),
    },
    error,
  );
}
