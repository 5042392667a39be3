/** Enrollment (docs/architecture.md#state-model, S7, S39, S40): a pending secret, shown again while pending, confirmed by a first valid code. */
import { randomUUID } from 'node:crypto';
import { countWrongAnswer, gate } from './attempt-guard';
import { normalizeTotpCode } from './code-input';
import { InvalidInputError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType } from './events';
import { buildOtpauthUri } from './otpauth-uri';
import type { TwoFactorOutcome } from './outcome';
import { renderQrSvg } from './qr-code';
import { formatSecretForDisplay, generateSecret, secretToBase32 } from './secret';
import { rotateSecurityStamp, stampField, withStamp } from './security-stamp';
import { requestMeta, type ServiceContext } from './service-context';
import type { EnrollmentStart, UserInput } from './service-types';
import type { CredentialRecord } from './store';
import { TOTP_DEFAULTS, verifyTotp } from './totp';

const ALREADY_ENABLED = 'Two-factor authentication is already enabled.';
const NOTHING_TO_CONFIRM = 'There is no enrollment to confirm. Start again.';

/** The setup page of a pending credential: its own secret and expiry, decrypted only to be shown (S39, S40). */
async function resumePending(
  ctx: ServiceContext,
  credential: CredentialRecord,
  accountName: string,
): Promise<TwoFactorOutcome<EnrollmentStart>> {
  const { base32, otpauthUrl } = ctx.withSecret(credential, (secret) => ({
    base32: secretToBase32(secret),
    otpauthUrl: buildOtpauthUri({ issuer: ctx.options.issuer, accountName, secret }),
  }));
  return {
    ok: true,
    secret: base32,
    secretForDisplay: formatSecretForDisplay(base32),
    otpauthUrl,
    qrSvg: await renderQrSvg(otpauthUrl),
    expiresAt: credential.pendingExpiresAt as Date,
    resumed: true,
  };
}

/** See {@link TwoFactorService.beginEnrollment}. */
export async function beginEnrollment(
  ctx: ServiceContext,
  input: UserInput & { accountName: string; startOver?: boolean },
): Promise<TwoFactorOutcome<EnrollmentStart>> {
  const { userId, meta } = input;
  const refused = await ctx.refuseIneligible(userId, meta);
  if (refused) return refused;
  const now = ctx.clock();
  const existing = await ctx.store.findByUserId(userId);
  if (existing?.state === 'active')
    return ctx.conflict(TwoFactorErrorCode.AlreadyEnabled, ALREADY_ENABLED, 'already_enabled');
  // Back, reload, a second tab or "Click here to enable" again must not kill the secret the user's
  // app may already hold (S39); only an explicit start over, or an expired setup, gets a new one.
  const live = existing?.state === 'pending' && !!existing.pendingExpiresAt && existing.pendingExpiresAt > now;
  if (live && !input.startOver) return resumePending(ctx, existing, input.accountName);
  const id = randomUUID();
  const secret = generateSecret();
  let base32: string;
  let otpauthUrl: string;
  let encryptedSecret: string;
  try {
    // The setup page shows the secret, so its text forms exist here, and only here (S7).
    base32 = secretToBase32(secret);
    otpauthUrl = buildOtpauthUri({ issuer: ctx.options.issuer, accountName: input.accountName, secret });
    encryptedSecret = ctx.cipher.encrypt(secret, { userId, credentialId: id });
  } catch (error) {
    // An account name with a colon (or empty) is bad input: an outcome, not a thrown error, and nothing is stored.
    if (!(error instanceof InvalidInputError)) throw error;
    return ctx.fail(
      { type: TwoFactorEventType.EnrollmentFailed, userId, at: now, reason: 'malformed_input', ...requestMeta(meta) },
      error,
    );
  } finally {
    secret.fill(0);
  }
  const expiresAt = new Date(now.getTime() + ctx.pendingTtlSeconds * 1000);
  const saved = await ctx.store.savePending({
    id,
    userId,
    encryptedSecret,
    keyId: ctx.cipher.currentKeyId,
    pendingExpiresAt: expiresAt,
    now,
    replaces: existing?.id ?? null,
  });
  if (!saved) {
    // A parallel start (a double click, a second tab) saved its secret first: show that one, so
    // every page the user sees holds the secret that will confirm (S39).
    const current = await ctx.store.findByUserId(userId);
    if (current?.state === 'pending' && !!current.pendingExpiresAt && current.pendingExpiresAt > now)
      return resumePending(ctx, current, input.accountName);
    return ctx.conflict(TwoFactorErrorCode.AlreadyEnabled, ALREADY_ENABLED, 'already_enabled');
  }
  await ctx.emit({ type: TwoFactorEventType.EnrollmentStarted, userId, at: now, ...requestMeta(meta) });
  return {
    ok: true,
    secret: base32,
    secretForDisplay: formatSecretForDisplay(base32),
    otpauthUrl,
    qrSvg: await renderQrSvg(otpauthUrl),
    expiresAt,
    resumed: false,
  };
}

/** See {@link TwoFactorService.confirmEnrollment}. */
export async function confirmEnrollment(
  ctx: ServiceContext,
  input: UserInput & { code: unknown },
): Promise<TwoFactorOutcome<{ backupCodes: string[]; securityStamp?: string }>> {
  const { userId, meta } = input;
  const refused = await ctx.refuseIneligible(userId, meta);
  if (refused) return refused;
  const code = normalizeTotpCode(input.code, TOTP_DEFAULTS.digits);
  const now = ctx.clock();
  const failed = { type: TwoFactorEventType.EnrollmentFailed, userId, at: now, ...requestMeta(meta) };
  if (!code.ok) return ctx.fail({ ...failed, reason: 'malformed_input' }, new InvalidInputError());
  const credential = await ctx.store.findByUserId(userId);
  if (credential?.state === 'active') {
    // A second confirm (a double submit, another tab): no code is checked, so it is not a replay.
    await ctx.emit({ ...failed, reason: 'already_enabled' });
    return ctx.conflict(TwoFactorErrorCode.AlreadyEnabled, ALREADY_ENABLED, 'already_enabled');
  }
  if (!credential) {
    await ctx.emit({ ...failed, reason: 'no_pending_enrollment' });
    return ctx.conflict(TwoFactorErrorCode.NoPendingEnrollment, NOTHING_TO_CONFIRM, 'no_pending_enrollment');
  }
  if (!credential.pendingExpiresAt || credential.pendingExpiresAt <= now) {
    await ctx.emit({ ...failed, reason: 'expired_enrollment' });
    return ctx.conflict(
      TwoFactorErrorCode.EnrollmentExpired,
      'The enrollment expired. Start again.',
      'expired_enrollment',
    );
  }
  const blocked = await gate(ctx, credential, now, meta, 'totp');
  if (blocked) return blocked;
  const result = ctx.withSecret(credential, (secret) =>
    verifyTotp({ secret, code: code.value, timeMs: now.getTime(), window: ctx.window }),
  );
  if (!result.valid) return countWrongAnswer(ctx, credential, now, meta, TwoFactorEventType.EnrollmentFailed, 'totp');
  const backupCodes = ctx.newBackupCodes();
  const backupCodeHashes = await ctx.hasher.hashSet(backupCodes);
  // S31: the stamp rotates before the change commits, so a failing hook (503) leaves 2FA off and the
  // codes unissued, and a change that commits always ends the user's other sessions.
  const stamp = await rotateSecurityStamp(ctx, userId);
  // One transaction: active + the confirming step consumed (S12) + the backup-code hashes, or nothing.
  const activated = await ctx.store.activate({
    credentialId: credential.id,
    step: result.timeStep,
    backupCodeHashes,
    now,
  });
  if (!activated) {
    await ctx.emit({ ...failed, reason: 'no_pending_enrollment' });
    return withStamp(
      ctx.conflict(TwoFactorErrorCode.NoPendingEnrollment, NOTHING_TO_CONFIRM, 'no_pending_enrollment'),
      stamp,
    );
  }
  await ctx.emit({ type: TwoFactorEventType.Enabled, userId, at: now, method: 'totp', ...requestMeta(meta) });
  return { ok: true, backupCodes, ...stampField(stamp) };
}
