/** The second login step: a TOTP code or a backup code, each accepted once (S12, S15, S19). */
import { countWrongAnswer, gate, refuseValidAttempt } from './attempt-guard';
import { normalizeBackupCode } from './backup-codes';
import { normalizeTotpCode } from './code-input';
import { InvalidInputError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType, type RequestMeta } from './events';
import type { TwoFactorOutcome } from './outcome';
import { requestMeta, type ServiceContext } from './service-context';
import type { FactorMethod, SecondFactorSuccess, UserInput } from './service-types';
import type { CredentialRecord } from './store';
import { TOTP_DEFAULTS, verifyTotp } from './totp';

/** See {@link TwoFactorService.verifyCode}. */
export async function verifyCode(
  ctx: ServiceContext,
  input: UserInput & { code: unknown },
): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
  const { userId, meta } = input;
  const now = ctx.clock();
  const code = normalizeTotpCode(input.code, TOTP_DEFAULTS.digits);
  if (!code.ok)
    return ctx.fail(
      {
        type: TwoFactorEventType.CodeFailed,
        userId,
        at: now,
        reason: 'malformed_input',
        method: 'totp',
        ...requestMeta(meta),
      },
      new InvalidInputError(),
    );
  const found = await activeCredential(ctx, userId, now, meta, 'totp');
  if (!found.ok) return found;
  const record = found.record;
  const blocked = await gate(ctx, record, now, meta, 'totp');
  if (blocked) return blocked;
  const result = ctx.withSecret(record, (secret) =>
    verifyTotp({ secret, code: code.value, timeMs: now.getTime(), window: ctx.window }),
  );
  if (!result.valid) return countWrongAnswer(ctx, record, now, meta, TwoFactorEventType.CodeFailed, 'totp');
  const fresh = record.lastUsedStep === null || result.timeStep > record.lastUsedStep;
  const accepted =
    fresh &&
    (await ctx.store.useStep({
      credentialId: record.id,
      step: result.timeStep,
      expectedFailureCount: record.failureCount,
      now,
    }));
  if (!accepted) return refuseValidAttempt(ctx, record, now, meta, 'totp', result.timeStep);
  await ctx.emit({ type: TwoFactorEventType.CodeVerified, userId, at: now, method: 'totp', ...requestMeta(meta) });
  return { ok: true, method: 'totp', step: result.timeStep };
}

/** See {@link TwoFactorService.useBackupCode}. */
export async function useBackupCode(
  ctx: ServiceContext,
  input: UserInput & { backupCode: unknown },
): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
  const { userId, meta } = input;
  const now = ctx.clock();
  const code = normalizeBackupCode(input.backupCode);
  if (!code.ok) {
    return ctx.fail(
      {
        type: TwoFactorEventType.BackupCodeFailed,
        userId,
        at: now,
        reason: 'malformed_input',
        method: 'backup_code',
        ...requestMeta(meta),
      },
      new InvalidInputError('The backup code is not in the expected format.'),
    );
  }
  const found = await activeCredential(ctx, userId, now, meta, 'backup_code');
  if (!found.ok) return found;
  const record = found.record;
  const blocked = await gate(ctx, record, now, meta, 'backup_code');
  if (blocked) return blocked;
  const unused = await ctx.store.listUnusedBackupCodeHashes(record.id);
  const match = await ctx.hasher.findMatch(code.value, unused);
  if (!match) return countWrongAnswer(ctx, record, now, meta, TwoFactorEventType.BackupCodeFailed, 'backup_code');
  // The last unused code: a new set is issued in the same transaction, so the user is never left without one.
  const backupCodes = unused.length === 1 ? ctx.newBackupCodes() : undefined;
  const consumed = await ctx.store.consumeBackupCode({
    credentialId: record.id,
    hash: match,
    replaceWith: backupCodes ? await ctx.hasher.hashSet(backupCodes) : undefined,
    expectedFailureCount: record.failureCount,
    now,
  });
  if (!consumed) return refuseValidAttempt(ctx, record, now, meta, 'backup_code');
  await ctx.emit({
    type: TwoFactorEventType.BackupCodeUsed,
    userId,
    at: now,
    method: 'backup_code',
    ...requestMeta(meta),
  });
  return {
    ok: true,
    method: 'backup_code',
    backupCodes,
    backupCodesRemaining: backupCodes ? backupCodes.length : unused.length - 1,
  };
}

/** See {@link TwoFactorService.authenticate}. */
export async function authenticate(
  ctx: ServiceContext,
  input: UserInput & { code?: unknown; backupCode?: unknown },
): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
  const hasCode = input.code !== undefined && input.code !== '';
  const hasBackup = input.backupCode !== undefined && input.backupCode !== '';
  if (hasCode === hasBackup) {
    return ctx.fail(
      {
        type: TwoFactorEventType.CodeFailed,
        userId: input.userId,
        at: ctx.clock(),
        reason: 'malformed_input',
        ...requestMeta(input.meta),
      },
      new InvalidInputError('Send exactly one of a code or a backup code.'),
    );
  }
  return hasCode
    ? verifyCode(ctx, { userId: input.userId, code: input.code, meta: input.meta })
    : useBackupCode(ctx, { userId: input.userId, backupCode: input.backupCode, meta: input.meta });
}

async function activeCredential(
  ctx: ServiceContext,
  userId: string,
  now: Date,
  meta: RequestMeta | undefined,
  method: FactorMethod,
): Promise<TwoFactorOutcome<{ record: CredentialRecord }>> {
  const credential = await ctx.store.findByUserId(userId);
  if (credential?.state === 'active') return { ok: true, record: credential };
  const type = method === 'totp' ? TwoFactorEventType.CodeFailed : TwoFactorEventType.BackupCodeFailed;
  await ctx.emit({ type, userId, at: now, reason: 'not_enabled', method, ...requestMeta(meta) });
  return ctx.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', 'not_enabled');
}
