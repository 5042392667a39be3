/** Status and management: disable, regenerate, admin disable and unlock (S8, S10, S16, S29, S36). */
import { endGraceAfterAdminDisable, requiredState, requirementOf } from './enrollment-policy';
import { TwoFactorErrorCode } from './errors';
import { TwoFactorEventType } from './events';
import type { TwoFactorOutcome } from './outcome';
import { reauthenticate } from './reauthentication';
import { rotateSecurityStamp, stampField, withStamp } from './security-stamp';
import { requestMeta, type ServiceContext } from './service-context';
import type { AdminInput, TwoFactorStatus, UserInput } from './service-types';

const NOT_ENABLED = 'Two-factor authentication is not enabled.';

/** See {@link TwoFactorService.status}. */
export async function status(ctx: ServiceContext, userId: string): Promise<TwoFactorStatus> {
  const [credential, eligible, requirement] = await Promise.all([
    ctx.store.findByUserId(userId),
    ctx.isEligible(userId),
    requirementOf(ctx, userId),
  ]);
  const policy = await requiredState(ctx, userId, requirement, credential);
  const now = ctx.clock();
  const active = credential?.state === 'active';
  const pending = credential?.state === 'pending' && !!credential.pendingExpiresAt && credential.pendingExpiresAt > now;
  return {
    enabled: active,
    pending,
    pendingExpired: credential?.state === 'pending' && !pending,
    eligible,
    locked: active && !!credential.lockedAt,
    backupCodesRemaining: active ? (await ctx.store.listUnusedBackupCodeHashes(credential.id)).length : 0,
    enabledAt: active ? credential.confirmedAt : null,
    required: policy.required,
    requiredBy: policy.requiredBy,
  };
}

/** See {@link TwoFactorService.isEnabled}. */
export async function isEnabled(ctx: ServiceContext, userId: string): Promise<boolean> {
  return (await ctx.store.findByUserId(userId))?.state === 'active';
}

/** See {@link TwoFactorService.disable}. */
export async function disable(
  ctx: ServiceContext,
  input: UserInput & { password: unknown },
): Promise<TwoFactorOutcome<{ securityStamp?: string }>> {
  // S36: a required user keeps 2FA; only support can turn it off, and then enrollment is due at once.
  if ((await requirementOf(ctx, input.userId)).required)
    return ctx.conflict(
      TwoFactorErrorCode.RequiredByPolicy,
      'Two-factor authentication is required for this account and cannot be turned off.',
      'required_by_policy',
    );
  const checked = await reauthenticate(ctx, input);
  if (!checked.ok) return checked;
  // S31: the stamp rotates before the change commits: a failing hook (503) leaves 2FA on.
  const stamp = await rotateSecurityStamp(ctx, input.userId);
  // Support may have turned it off since the password check: then this request disabled nothing.
  const deleted = await ctx.store.deleteByUserId(input.userId);
  if (!deleted) return withStamp(ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled'), stamp);
  await ctx.emit({
    type: TwoFactorEventType.Disabled,
    userId: input.userId,
    at: ctx.clock(),
    reason: 'user',
    ...requestMeta(input.meta),
  });
  return { ok: true, ...stampField(stamp) };
}

/** See {@link TwoFactorService.regenerateBackupCodes}. */
export async function regenerateBackupCodes(
  ctx: ServiceContext,
  input: UserInput & { password: unknown },
): Promise<TwoFactorOutcome<{ backupCodes: string[]; securityStamp?: string }>> {
  const checked = await reauthenticate(ctx, input);
  if (!checked.ok) return checked;
  const backupCodes = ctx.newBackupCodes();
  const hashes = await ctx.hasher.hashSet(backupCodes);
  // S31: the stamp rotates before the change commits: a failing hook (503) leaves the old codes valid,
  // so no set is ever stored without being shown.
  const stamp = await rotateSecurityStamp(ctx, input.userId);
  const replaced = await ctx.store.replaceBackupCodes({ credentialId: checked.record.id, hashes, now: ctx.clock() });
  // 2FA was turned off (or enrolled anew) since the password check: these codes were never stored.
  if (!replaced) return withStamp(ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled'), stamp);
  await ctx.emit({
    type: TwoFactorEventType.BackupCodesRegenerated,
    userId: input.userId,
    at: ctx.clock(),
    ...requestMeta(input.meta),
  });
  return { ok: true, backupCodes, ...stampField(stamp) };
}

/** See {@link TwoFactorService.adminDisable}. */
export async function adminDisable(ctx: ServiceContext, input: AdminInput): Promise<TwoFactorOutcome> {
  // Nothing to turn off: the user's sessions stay as they are.
  if (!(await ctx.store.findByUserId(input.userId)))
    return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
  // S31: the stamp rotates before the change commits: a failing hook (503) leaves 2FA on, so no
  // disable stands while the user's other sessions still hold the state they signed in with.
  await rotateSecurityStamp(ctx, input.userId);
  const deleted = await ctx.store.deleteByUserId(input.userId);
  if (!deleted) return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
  await endGraceAfterAdminDisable(ctx, input.userId);
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
  const reset = await ctx.store.resetFailures(credential.id, now);
  if (!reset) return ctx.conflict(TwoFactorErrorCode.NotEnabled, NOT_ENABLED, 'not_enabled');
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
