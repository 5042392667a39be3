/**
 * The brute-force guard around every attempt (S16): refuse while locked or in backoff, count a
 * wrong answer in the store, and explain a correct answer whose conditional write changed nothing.
 */
import { InvalidCodeError, LockedError, ThrottledError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType, type RequestMeta, type TwoFactorEvent } from './events';
import type { TwoFactorFailure } from './outcome';
import { requestMeta, type ServiceContext } from './service-context';
import type { FactorMethod } from './service-types';
import type { CredentialRecord, FailureState } from './store';

/** Refuses before any crypto when locked or in backoff; neither is counted (S16). */
export async function gate(
  ctx: ServiceContext,
  credential: CredentialRecord,
  now: Date,
  meta: RequestMeta | undefined,
  method?: FactorMethod,
): Promise<TwoFactorFailure | null> {
  if (credential.lockedAt) {
    return ctx.fail(
      {
        type: TwoFactorEventType.LockedAttempt,
        userId: credential.userId,
        at: now,
        reason: 'locked',
        method,
        ...requestMeta(meta),
      },
      new LockedError(),
    );
  }
  if (credential.backoffUntil && credential.backoffUntil > now) {
    const error = new ThrottledError((credential.backoffUntil.getTime() - now.getTime()) / 1000);
    return ctx.fail(
      {
        type: TwoFactorEventType.Throttled,
        userId: credential.userId,
        at: now,
        reason: 'backoff',
        method,
        retryAfterSeconds: error.retryAfterSeconds,
        ...requestMeta(meta),
      },
      error,
    );
  }
  return null;
}

/**
 * Records one failure in the store (an atomic increment), then reports it: see {@link reportFailure}.
 * Returns the state after the failure, or null, reporting nothing, when the credential is gone.
 */
export async function recordFailure(
  ctx: ServiceContext,
  credential: CredentialRecord,
  now: Date,
  event: TwoFactorEvent,
): Promise<FailureState | null> {
  const state = await ctx.store.recordFailure({
    credentialId: credential.id,
    now,
    decide: (count) => ctx.throttle.decide(count, now),
  });
  if (state) await reportFailure(ctx, credential, now, event, state);
  return state;
}

/**
 * Emits `event` with the count of a failure already counted in the store, and `locked` when this
 * failure crossed the threshold, in one `emit`: an audit write that fails (503) comes after the
 * count, so it never un-counts a guess, and the lock is still notified.
 */
export async function reportFailure(
  ctx: ServiceContext,
  credential: CredentialRecord,
  now: Date,
  event: TwoFactorEvent,
  state: FailureState,
): Promise<void> {
  const events: TwoFactorEvent[] = [{ ...event, failureCount: state.failureCount }];
  if (state.lockedAt && lockedByThisFailure(ctx, state.failureCount, now)) {
    events.push({
      type: TwoFactorEventType.Locked,
      userId: credential.userId,
      at: now,
      method: event.method,
      failureCount: state.failureCount,
      ...requestMeta(event),
    });
  }
  await ctx.emit(...events);
}

/**
 * A wrong code or backup code: counted, then 401, or 423 when it locked the factor. When the
 * credential went away since the read (2FA turned off, or the enrollment restarted with a new
 * credential), there is nothing to count: 409, as the same request a moment later would get.
 */
export async function countWrongAnswer(
  ctx: ServiceContext,
  credential: CredentialRecord,
  now: Date,
  meta: RequestMeta | undefined,
  type: TwoFactorEvent['type'],
  method: FactorMethod,
): Promise<TwoFactorFailure> {
  const event = { type, userId: credential.userId, at: now, method, ...requestMeta(meta) };
  const state = await recordFailure(ctx, credential, now, { ...event, reason: 'invalid_code' });
  if (!state) {
    const enrolling = type === TwoFactorEventType.EnrollmentFailed;
    const reason = enrolling ? 'no_pending_enrollment' : 'not_enabled';
    await ctx.emit({ ...event, reason });
    return enrolling
      ? ctx.conflict(TwoFactorErrorCode.NoPendingEnrollment, 'There is no enrollment to confirm. Start again.', reason)
      : ctx.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', reason);
  }
  if (state.lockedAt) return { ok: false, error: new LockedError(), reason: 'locked' };
  return { ok: false, error: new InvalidCodeError(), reason: 'invalid_code' };
}

/**
 * A correct code or backup code whose conditional write changed nothing. Re-reads to say why:
 * the step or code was already used (a replay, S15), a parallel failure moved the counter (S16),
 * or a lock or backoff arrived meanwhile. Never counted, so a double submit cannot lock the owner out.
 */
export async function refuseValidAttempt(
  ctx: ServiceContext,
  read: CredentialRecord,
  now: Date,
  meta: RequestMeta | undefined,
  method: FactorMethod,
  step?: number,
): Promise<TwoFactorFailure> {
  const current = (await ctx.store.findByUserId(read.userId)) ?? read;
  const refused = current.id === read.id ? await gate(ctx, current, now, meta, method) : null;
  if (refused) return refused;
  const replayed =
    method === 'backup_code' || (step !== undefined && current.lastUsedStep !== null && current.lastUsedStep >= step);
  const failedType = method === 'totp' ? TwoFactorEventType.CodeFailed : TwoFactorEventType.BackupCodeFailed;
  if (replayed && current.failureCount === read.failureCount) {
    const type = method === 'totp' ? TwoFactorEventType.CodeReplayed : failedType;
    return ctx.fail(
      { type, userId: read.userId, at: now, reason: 'replayed', method, ...requestMeta(meta) },
      new InvalidCodeError(),
    );
  }
  return ctx.fail(
    { type: failedType, userId: read.userId, at: now, reason: 'concurrent_failure', method, ...requestMeta(meta) },
    new InvalidCodeError(),
  );
}

/**
 * Whether this failure's count is the one that crossed the lock threshold. The counts of parallel
 * failures are distinct (the store increments atomically), so exactly one attempt of a burst emits
 * `locked` and the user is notified once (S26); the credential read before the attempt is stale
 * under concurrency and cannot tell.
 */
function lockedByThisFailure(ctx: ServiceContext, failureCount: number, now: Date): boolean {
  return ctx.throttle.decide(failureCount, now).lock && !ctx.throttle.decide(failureCount - 1, now).lock;
}
