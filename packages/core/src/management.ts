/** Status and management: disable, regenerate, admin disable and unlock (S8, S10, S16). */
import { gate, recordFailure } from './attempt-guard';
import { InvalidInputError, InvalidPasswordError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType } from './events';
import type { TwoFactorOutcome } from './outcome';
import { requestMeta, type ServiceContext } from './service-context';
import type { AdminInput, TwoFactorStatus, UserInput } from './service-types';
import type { CredentialRecord } from './store';

const NOT_ENABLED = 'Two-factor authentication is not enabled.';
const MAX_PASSWORD_LENGTH = 1024;

/** See {@link TwoFactorService.status}. */
export async function status(ctx: ServiceContext, userId: string): Promise<TwoFactorStatus> {
  const [credential, eligible] = await Promise.all([ctx.store.findByUserId(userId), ctx.isEligible(userId)]);
  const now = ctx.clock();
  const active = credential?.state === 'active';
  return {
    enabled: active,
    pending: credential?.state === 'pending' && !!credential.pendingExpiresAt && credential.pendingExpiresAt > now,
    eligible,
    locked: active && !!credential.lockedAt,
    backupCodesRemaining: active ? (await ctx.store.listUnusedBackupCodeHashes(credential.id)).length : 0,
    enabledAt: active ? credential.confirmedAt : null,
  };
}

/** See {@link TwoFactorService.disable}. */
export async function disable(
  ctx: ServiceContext,
  input: UserInput & { password: unknown },
): Promise<TwoFactorOutcome> {
  const checked = await reauthenticate(ctx, input);
  if (!checked.ok) return checked;
  await ctx.store.deleteByUserId(input.userId);
  await ctx.emit({
    type: TwoFactorEventType.Disabled,
    userId: input.userId,
    at: ctx.clock(),
    reason: 'user',
    ...requestMeta(input.meta),
  });
  return { ok: true };
}

/** See {@link TwoFactorService.regenerateBackupCodes}. */
export async function regenerateBackupCodes(
  ctx: ServiceContext,
  input: UserInput & { password: unknown },
): Promise<TwoFactorOutcome<{ backupCodes: string[] }>> {
  const checked = await reauthenticate(ctx, input);
  if (!checked.ok) return checked;
  const backupCodes = ctx.newBackupCodes();
  await ctx.store.replaceBackupCodes({
    credentialId: checked.record.id,
    hashes: await ctx.hasher.hashSet(backupCodes),
    now: ctx.clock(),
  });
  await ctx.emit({
    type: TwoFactorEventType.BackupCodesRegenerated,
    userId: input.userId,
    at: ctx.clock(),
    ...requestMeta(input.meta),
  });
  return { ok: true, backupCodes };
}

/** See {@link TwoFactorService.adminDisable}. */
export async function adminDisable(ctx: ServiceContext, input: AdminInput): Promise<TwoFactorOutcome> {
  const deleted = await ctx.store.deleteByUserId(input.userId);
  if (!deleted) return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
  await ctx.emit({
    type: TwoFactorEventType.AdminDisabled,
    userId: input.userId,
    at: ctx.clock(),
    reason: 'admin',
    actorId: input.actorId,
    ...requestMeta(input.meta),
  });
  return { ok: true };
}

/** Lifts a lock or backoff for an admin or a host-approved recovery (S16). */
export async function unlock(
  ctx: ServiceContext,
  input: UserInput,
  reason: 'admin' | 'recovery',
  actorId?: string,
): Promise<TwoFactorOutcome<{ wasLocked: boolean }>> {
  const credential = await ctx.store.findByUserId(input.userId);
  if (!credential || credential.state !== 'active')
    return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
  const now = ctx.clock();
  await ctx.store.resetFailures(credential.id, now);
  const wasLocked = credential.lockedAt !== null;
  if (wasLocked)
    await ctx.emit({
      type: TwoFactorEventType.Unlocked,
      userId: input.userId,
      at: now,
      reason,
      actorId,
      ...requestMeta(input.meta),
    });
  return { ok: true, wasLocked };
}

/**
 * Checks the current password before a sensitive change (S8). A wrong password counts in the same
 * failure budget as codes (S16). A lock does not block it: the user is already fully signed in, and
 * turning 2FA off or getting new codes is how a locked-out owner recovers from a support unlock.
 */
async function reauthenticate(
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
  if (
    typeof input.password !== 'string' ||
    input.password.length === 0 ||
    input.password.length > MAX_PASSWORD_LENGTH
  ) {
    return ctx.fail(
      { type: TwoFactorEventType.ReauthFailed, userId, at: now, reason: 'malformed_input', ...requestMeta(meta) },
      new InvalidInputError('The password is required.'),
    );
  }
  const throttled = await gate(ctx, { ...credential, lockedAt: null }, now, meta);
  if (throttled) return throttled;
  if (!(await ctx.options.verifyPassword(userId, input.password))) {
    await recordFailure(ctx, credential, now, {
      type: TwoFactorEventType.ReauthFailed,
      userId,
      at: now,
      reason: 'wrong_password',
      ...requestMeta(meta),
    });
    return { ok: false, error: new InvalidPasswordError(), reason: 'wrong_password' };
  }
  return { ok: true, record: credential };
}
