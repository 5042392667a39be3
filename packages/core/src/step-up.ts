/**
 * Step-up (S35): a sensitive action needs a second-factor verification (or, without 2FA, a
 * password check) in this session within a max age. The session keeps only the time of the last
 * verification; this module decides whether it is recent enough, and confirms a new one with the
 * login's own rules: a code is accepted once (S12), failures share the login's counter (S16), and a
 * backup code is consumed and reissued as at login (S19).
 */
import { ConfigurationError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType } from './events';
import type { TwoFactorOutcome } from './outcome';
import * as secondStep from './second-step';
import { requestMeta, type ServiceContext } from './service-context';
import type { SecondFactorSuccess, UserInput } from './service-types';

/** The default max age of a verification for a sensitive action: 15 minutes (S35). */
export const DEFAULT_STEP_UP_MAX_AGE_SECONDS = 900;

/** The longest max age accepted: a day. Longer would make step-up a second session lifetime. */
export const MAX_STEP_UP_MAX_AGE_SECONDS = 86_400;

/**
 * Whether the last verification of a session still covers a sensitive action, and until when.
 *
 * @example
 * ```ts
 * const window: StepUpWindow = stepUpWindow({ verifiedAtMs: Date.now(), now: new Date(), maxAgeSeconds: 900 });
 * ```
 */
export interface StepUpWindow {
  /** The verification is no older than the max age. */
  fresh: boolean;
  /** When it stops covering sensitive actions, or null when the session has none. */
  validUntil: Date | null;
}

/**
 * Checks a max age at setup: a whole number of seconds from 1 to {@link MAX_STEP_UP_MAX_AGE_SECONDS}.
 *
 * @example
 * ```ts
 * const maxAgeSeconds = checkStepUpMaxAge(Number(process.env.STEP_UP_MAX_AGE_SECONDS ?? 900));
 * ```
 */
export function checkStepUpMaxAge(maxAgeSeconds: unknown, name = 'maxAgeSeconds'): number {
  if (
    typeof maxAgeSeconds !== 'number' ||
    !Number.isInteger(maxAgeSeconds) ||
    maxAgeSeconds < 1 ||
    maxAgeSeconds > MAX_STEP_UP_MAX_AGE_SECONDS
  )
    throw new ConfigurationError(`${name} must be a whole number of seconds from 1 to ${MAX_STEP_UP_MAX_AGE_SECONDS}.`);
  return maxAgeSeconds;
}

/**
 * The step-up window of a session at `now`: fresh when the last verification is at most
 * `maxAgeSeconds` old. A verification time in the future (a clock moved back) counts from now, so
 * it never extends the window beyond one max age.
 *
 * @example
 * ```ts
 * stepUpWindow({ verifiedAtMs: undefined, now: new Date(), maxAgeSeconds: 900 }); // { fresh: false, validUntil: null }
 * ```
 */
export function stepUpWindow(input: {
  /** Epoch milliseconds of the last verification in this session, or undefined. */
  verifiedAtMs: number | undefined | null;
  now: Date;
  maxAgeSeconds: number;
}): StepUpWindow {
  const { verifiedAtMs, now, maxAgeSeconds } = input;
  if (typeof verifiedAtMs !== 'number' || !Number.isFinite(verifiedAtMs)) return { fresh: false, validUntil: null };
  const nowMs = now.getTime();
  const validUntilMs = Math.min(verifiedAtMs, nowMs) + maxAgeSeconds * 1000;
  return { fresh: nowMs <= validUntilMs, validUntil: new Date(validUntilMs) };
}

/** See {@link TwoFactorService.confirmStepUp}. */
export async function confirmStepUp(
  ctx: ServiceContext,
  input: UserInput & { code?: unknown; backupCode?: unknown },
): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
  const outcome = await secondStep.authenticate(ctx, input);
  if (!outcome.ok) return outcome;
  await ctx.emit({
    type: TwoFactorEventType.StepUpConfirmed,
    userId: input.userId,
    at: ctx.clock(),
    method: outcome.method,
    ...requestMeta(input.meta),
  });
  return outcome;
}

/** See {@link TwoFactorService.recordFailedPasswordStepUp}. */
export async function recordFailedPasswordStepUp(
  ctx: ServiceContext,
  input: UserInput & { reason: 'wrong_password' | 'backoff'; retryAfterSeconds?: number },
): Promise<void> {
  const { userId, meta, reason } = input;
  const at = ctx.clock();
  if (reason === 'backoff')
    await ctx.emit({
      type: TwoFactorEventType.Throttled,
      userId,
      at,
      reason,
      ...(input.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: input.retryAfterSeconds }),
      ...requestMeta(meta),
    });
  else
    await ctx.emit({
      type: TwoFactorEventType.ReauthFailed,
      userId,
      at,
      reason,
      method: 'password',
      ...requestMeta(meta),
    });
}

/** See {@link TwoFactorService.recordPasswordStepUp}. */
export async function recordPasswordStepUp(ctx: ServiceContext, input: UserInput): Promise<TwoFactorOutcome> {
  // With 2FA on, only the second factor confirms: a password alone would skip S12 and S16.
  const credential = await ctx.store.findByUserId(input.userId);
  if (credential?.state === 'active')
    return ctx.conflict(
      TwoFactorErrorCode.AlreadyEnabled,
      'Two-factor authentication is on: confirm with a code or a backup code.',
      'already_enabled',
    );
  await ctx.emit({
    type: TwoFactorEventType.StepUpConfirmed,
    userId: input.userId,
    at: ctx.clock(),
    method: 'password',
    ...requestMeta(input.meta),
  });
  return { ok: true };
}
