/**
 * The framework-free two-factor service (DESIGN.md §3–§4). It owns the rules: enrollment,
 * verification with replay protection, backup codes, throttling, management and events. It knows
 * nothing of HTTP, Passport or SQL; adapters translate its outcomes.
 */
import { randomUUID } from 'node:crypto';
import { BackupCodeHasher, generateBackupCode, normalizeBackupCode } from './backup-codes';
import { normalizeTotpCode } from './code-input';
import {
  ConfigurationError,
  InvalidCodeError,
  InvalidInputError,
  InvalidPasswordError,
  LockedError,
  NotEligibleError,
  ThrottledError,
  TwoFactorErrorCode,
  TwoFactorStateError,
  type TwoFactorError,
} from './errors';
import { TwoFactorEventType, type RequestMeta, type TwoFactorEvent, type TwoFactorEventReason, type TwoFactorEventSink } from './events';
import { buildOtpauthUri } from './otpauth-uri';
import type { TwoFactorFailure, TwoFactorOutcome } from './outcome';
import { renderQrSvg } from './qr-code';
import { formatSecretForDisplay, generateSecret, secretToBase32 } from './secret';
import { SecretCipher } from './secret-cipher';
import { DEFAULT_PENDING_TTL_SECONDS, MAX_BACKUP_CODE_COUNT, type TwoFactorServiceOptions } from './service-options';
import type { CredentialRecord } from './store';
import { ThrottlePolicy } from './throttle-policy';
import { assertValidWindow, DEFAULT_WINDOW, TOTP_DEFAULTS, verifyTotp, type TotpWindow } from './totp';

/** What `status` reports. Never a secret (S7). */
export interface TwoFactorStatus {
  /** 2FA is active. */
  enabled: boolean;
  /** An unexpired enrollment awaits confirmation. */
  pending: boolean;
  /** The account may use 2FA (false for sub-accounts, S9). */
  eligible: boolean;
  /** Too many failures locked the factor (S16). */
  locked: boolean;
  /** Unused backup codes. */
  backupCodesRemaining: number;
  /** When 2FA was confirmed, or null. */
  enabledAt: Date | null;
}

/** What `beginEnrollment` returns once, for the setup page. */
export interface EnrollmentStart {
  /** Unpadded base32 secret, for manual entry. */
  secret: string;
  /** The secret grouped in fours. */
  secretForDisplay: string;
  /** The otpauth:// URI the QR code encodes. */
  otpauthUrl: string;
  /** The QR code as an SVG document, rendered locally (S28). */
  qrSvg: string;
  /** When the pending enrollment expires (S7). */
  expiresAt: Date;
}

/** A successful second step. */
export interface SecondFactorSuccess {
  method: 'totp' | 'backup_code';
  /** The TOTP step accepted (method `totp`). */
  step?: number;
  /** A new set of backup codes, shown once, when the last unused code was just used (S19). */
  backupCodes?: string[];
  /** Unused backup codes after this success. */
  backupCodesRemaining?: number;
}

/** Common input: whose factor, and the request metadata for events. */
export interface UserInput {
  userId: string;
  meta?: RequestMeta;
}

/** Input of an admin action: who acted. */
export interface AdminInput extends UserInput {
  /** The support user's id, for the audit trail (S10). */
  actorId: string;
}

/**
 * Copies only the documented request fields into an event. Callers may hand over a wider object
 * (a request, a body); spread whole, it could overwrite `type` or `userId` or carry a code (S27).
 */
function requestMeta(meta: RequestMeta | undefined): RequestMeta {
  const picked: RequestMeta = {};
  if (typeof meta?.ip === 'string') picked.ip = meta.ip;
  if (typeof meta?.userAgent === 'string') picked.userAgent = meta.userAgent;
  return picked;
}

/**
 * The two-factor service. Construct it once at start-up; it holds no per-user state (DESIGN.md §9).
 *
 * @example
 * ```ts
 * import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
 * const service = new TwoFactorService({
 *   store: new MemoryTwoFactorStore(),
 *   keyring: Keyring.parse('k1:' + Buffer.alloc(32, 7).toString('base64')),
 *   issuer: 'Acme Billing',
 *   verifyPassword: async (_userId, password) => password === 'correct horse',
 * });
 * const start = await service.beginEnrollment({ userId: '42', accountName: 'ada@example.com' });
 * ```
 */
export class TwoFactorService {
  private readonly store: TwoFactorServiceOptions['store'];
  private readonly cipher: SecretCipher;
  private readonly hasher: BackupCodeHasher;
  private readonly throttle: ThrottlePolicy;
  private readonly window: TotpWindow;
  private readonly clock: () => Date;
  private readonly pendingTtlSeconds: number;
  private readonly backupCodeCount: number;
  private readonly sinks: TwoFactorEventSink[];
  private readonly options: TwoFactorServiceOptions;

  constructor(options: TwoFactorServiceOptions) {
    if (!options || typeof options !== 'object') throw new ConfigurationError('TwoFactorService needs an options object.');
    if (!options.store) throw new ConfigurationError('TwoFactorService needs a store.');
    if (!options.keyring) throw new ConfigurationError('TwoFactorService needs a keyring.');
    if (typeof options.verifyPassword !== 'function') throw new ConfigurationError('TwoFactorService needs verifyPassword(userId, password).');
    if (typeof options.issuer !== 'string' || !options.issuer.trim() || options.issuer.includes(':')) {
      throw new ConfigurationError('TwoFactorService needs an issuer: a non-empty string without a colon.');
    }
    this.options = options;
    this.store = options.store;
    this.cipher = new SecretCipher(options.keyring);
    this.hasher = new BackupCodeHasher(options.scrypt);
    this.throttle = new ThrottlePolicy(options.throttle);
    this.window = { ...DEFAULT_WINDOW, ...options.window };
    assertValidWindow(this.window);
    this.clock = options.clock ?? (() => new Date());
    this.pendingTtlSeconds = options.pendingTtlSeconds ?? DEFAULT_PENDING_TTL_SECONDS;
    if (!Number.isInteger(this.pendingTtlSeconds) || this.pendingTtlSeconds < 30 || this.pendingTtlSeconds > 86400) {
      throw new ConfigurationError('pendingTtlSeconds must be an integer from 30 to 86400.');
    }
    this.backupCodeCount = options.backupCodeCount ?? 1;
    if (!Number.isInteger(this.backupCodeCount) || this.backupCodeCount < 1 || this.backupCodeCount > MAX_BACKUP_CODE_COUNT) {
      throw new ConfigurationError(`backupCodeCount must be an integer from 1 to ${MAX_BACKUP_CODE_COUNT}.`);
    }
    this.sinks = options.onEvent === undefined ? [] : Array.isArray(options.onEvent) ? [...options.onEvent] : [options.onEvent];
  }

  /** The throttle policy in force. */
  get throttlePolicy(): ThrottlePolicy {
    return this.throttle;
  }

  /** The user's 2FA status; never a secret. */
  async status(userId: string): Promise<TwoFactorStatus> {
    const [credential, eligible] = await Promise.all([this.store.findByUserId(userId), this.isEligible(userId)]);
    const now = this.clock();
    const active = credential?.state === 'active';
    return {
      enabled: active,
      pending: credential?.state === 'pending' && !!credential.pendingExpiresAt && credential.pendingExpiresAt > now,
      eligible,
      locked: active && !!credential.lockedAt,
      backupCodesRemaining: active ? (await this.store.listUnusedBackupCodeHashes(credential.id)).length : 0,
      enabledAt: active ? credential.confirmedAt : null,
    };
  }

  /**
   * Starts (or restarts) enrollment: a new secret, pending for `pendingTtlSeconds` (S7). The old
   * pending secret, if any, is dead. A conflict if 2FA is already active.
   */
  async beginEnrollment(input: UserInput & { accountName: string }): Promise<TwoFactorOutcome<EnrollmentStart>> {
    const { userId, meta } = input;
    const refused = await this.refuseIneligible(userId, meta);
    if (refused) return refused;
    const now = this.clock();
    const existing = await this.store.findByUserId(userId);
    if (existing?.state === 'active') return this.conflict(TwoFactorErrorCode.AlreadyEnabled, 'Two-factor authentication is already enabled.');
    const secret = generateSecret();
    const base32 = secretToBase32(secret);
    let otpauthUrl: string;
    try {
      otpauthUrl = buildOtpauthUri({ issuer: this.options.issuer, accountName: input.accountName, secret });
    } catch (error) {
      // An account name with a colon (or empty) is bad input: an outcome, not a thrown error, and nothing is stored.
      if (!(error instanceof InvalidInputError)) throw error;
      return this.fail({ type: TwoFactorEventType.EnrollmentFailed, userId, at: now, reason: 'malformed_input', ...requestMeta(meta) }, error);
    }
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + this.pendingTtlSeconds * 1000);
    const saved = await this.store.savePending({
      id,
      userId,
      encryptedSecret: this.cipher.encrypt(secret, { userId, credentialId: id }),
      keyId: this.cipher.currentKeyId,
      pendingExpiresAt: expiresAt,
      now,
    });
    if (!saved) return this.conflict(TwoFactorErrorCode.AlreadyEnabled, 'Two-factor authentication is already enabled.');
    await this.emit({ type: TwoFactorEventType.EnrollmentStarted, userId, at: now, ...requestMeta(meta) });
    return { ok: true, secret: base32, secretForDisplay: formatSecretForDisplay(base32), otpauthUrl, qrSvg: await renderQrSvg(otpauthUrl), expiresAt };
  }

  /**
   * Confirms enrollment with a code from the app. Activates 2FA and stores the backup codes in one
   * transaction, consumes the confirming step (S12), and returns the backup codes once.
   */
  async confirmEnrollment(input: UserInput & { code: unknown }): Promise<TwoFactorOutcome<{ backupCodes: string[] }>> {
    const { userId, meta } = input;
    const refused = await this.refuseIneligible(userId, meta);
    if (refused) return refused;
    const code = normalizeTotpCode(input.code, TOTP_DEFAULTS.digits);
    const now = this.clock();
    if (!code.ok) return this.fail({ type: TwoFactorEventType.EnrollmentFailed, userId, at: now, reason: 'malformed_input', ...requestMeta(meta) }, new InvalidInputError());
    const credential = await this.store.findByUserId(userId);
    if (!credential || credential.state !== 'pending') {
      const activeAlready = credential?.state === 'active';
      const reason: TwoFactorEventReason = activeAlready ? 'replayed' : 'no_pending_enrollment';
      await this.emit({ type: TwoFactorEventType.EnrollmentFailed, userId, at: now, reason, ...requestMeta(meta) });
      return activeAlready
        ? this.conflict(TwoFactorErrorCode.AlreadyEnabled, 'Two-factor authentication is already enabled.', reason)
        : this.conflict(TwoFactorErrorCode.NoPendingEnrollment, 'There is no enrollment to confirm. Start again.', reason);
    }
    if (!credential.pendingExpiresAt || credential.pendingExpiresAt <= now) {
      await this.emit({ type: TwoFactorEventType.EnrollmentFailed, userId, at: now, reason: 'expired_enrollment', ...requestMeta(meta) });
      return this.conflict(TwoFactorErrorCode.EnrollmentExpired, 'The enrollment expired. Start again.', 'expired_enrollment');
    }
    const gate = await this.gate(credential, now, meta, 'totp');
    if (gate) return gate;
    const result = verifyTotp({ secret: this.decrypt(credential), code: code.value, timeMs: now.getTime(), window: this.window });
    if (!result.valid) return this.countFailure(credential, now, meta, TwoFactorEventType.EnrollmentFailed, 'totp');
    const backupCodes = this.newBackupCodes();
    const activated = await this.store.activate({ credentialId: credential.id, step: result.timeStep, backupCodeHashes: await this.hasher.hashSet(backupCodes), now });
    if (!activated) {
      await this.emit({ type: TwoFactorEventType.EnrollmentFailed, userId, at: now, reason: 'no_pending_enrollment', ...requestMeta(meta) });
      return this.conflict(TwoFactorErrorCode.NoPendingEnrollment, 'There is no enrollment to confirm. Start again.');
    }
    await this.emit({ type: TwoFactorEventType.Enabled, userId, at: now, method: 'totp', ...requestMeta(meta) });
    return { ok: true, backupCodes };
  }

  /**
   * Verifies a TOTP code for the second login step. A step is accepted once, atomically (S12);
   * a replay is refused and emitted as `code.replayed` (S15).
   */
  async verifyCode(input: UserInput & { code: unknown }): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    const { userId, meta } = input;
    const now = this.clock();
    const code = normalizeTotpCode(input.code, TOTP_DEFAULTS.digits);
    if (!code.ok) return this.fail({ type: TwoFactorEventType.CodeFailed, userId, at: now, reason: 'malformed_input', method: 'totp', ...requestMeta(meta) }, new InvalidInputError());
    const credential = await this.activeCredential(userId, now, meta, 'totp');
    if (!credential.ok) return credential;
    const gate = await this.gate(credential.record, now, meta, 'totp');
    if (gate) return gate;
    const result = verifyTotp({ secret: this.decrypt(credential.record), code: code.value, timeMs: now.getTime(), window: this.window });
    if (!result.valid) return this.countFailure(credential.record, now, meta, TwoFactorEventType.CodeFailed, 'totp');
    const record = credential.record;
    const fresh = record.lastUsedStep === null || result.timeStep > record.lastUsedStep;
    const accepted = fresh && (await this.store.useStep({ credentialId: record.id, step: result.timeStep, expectedFailureCount: record.failureCount, now }));
    if (!accepted) return this.refuseValidAttempt(record, now, meta, 'totp', result.timeStep);
    await this.emit({ type: TwoFactorEventType.CodeVerified, userId, at: now, method: 'totp', ...requestMeta(meta) });
    return { ok: true, method: 'totp', step: result.timeStep };
  }

  /**
   * Uses a backup code for the second login step: once, atomically (S19). One scrypt evaluation per
   * attempt (S18). When the last unused code is used, a new set is issued in the same transaction
   * and returned once; 2FA stays on.
   */
  async useBackupCode(input: UserInput & { backupCode: unknown }): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    const { userId, meta } = input;
    const now = this.clock();
    const code = normalizeBackupCode(input.backupCode);
    if (!code.ok) return this.fail({ type: TwoFactorEventType.BackupCodeFailed, userId, at: now, reason: 'malformed_input', method: 'backup_code', ...requestMeta(meta) }, new InvalidInputError('The backup code is not in the expected format.'));
    const credential = await this.activeCredential(userId, now, meta, 'backup_code');
    if (!credential.ok) return credential;
    const gate = await this.gate(credential.record, now, meta, 'backup_code');
    if (gate) return gate;
    const unused = await this.store.listUnusedBackupCodeHashes(credential.record.id);
    const match = await this.hasher.findMatch(code.value, unused);
    if (!match) return this.countFailure(credential.record, now, meta, TwoFactorEventType.BackupCodeFailed, 'backup_code');
    const lastOne = unused.length === 1;
    const backupCodes = lastOne ? this.newBackupCodes() : undefined;
    const consumed = await this.store.consumeBackupCode({
      credentialId: credential.record.id,
      hash: match,
      replaceWith: backupCodes ? await this.hasher.hashSet(backupCodes) : undefined,
      expectedFailureCount: credential.record.failureCount,
      now,
    });
    if (!consumed) return this.refuseValidAttempt(credential.record, now, meta, 'backup_code');
    await this.emit({ type: TwoFactorEventType.BackupCodeUsed, userId, at: now, method: 'backup_code', ...requestMeta(meta) });
    return { ok: true, method: 'backup_code', backupCodes, backupCodesRemaining: backupCodes ? backupCodes.length : unused.length - 1 };
  }

  /**
   * The login challenge: exactly one of `code` or `backupCode`. Anything else is malformed input.
   */
  async authenticate(input: UserInput & { code?: unknown; backupCode?: unknown }): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    const hasCode = input.code !== undefined && input.code !== '';
    const hasBackup = input.backupCode !== undefined && input.backupCode !== '';
    if (hasCode === hasBackup) {
      return this.fail(
        { type: TwoFactorEventType.CodeFailed, userId: input.userId, at: this.clock(), reason: 'malformed_input', ...requestMeta(input.meta) },
        new InvalidInputError('Send exactly one of a code or a backup code.'),
      );
    }
    return hasCode ? this.verifyCode({ userId: input.userId, code: input.code, meta: input.meta }) : this.useBackupCode({ userId: input.userId, backupCode: input.backupCode, meta: input.meta });
  }

  /** Turns 2FA off after checking the current password (S8). Deletes the secret and backup codes. */
  async disable(input: UserInput & { password: unknown }): Promise<TwoFactorOutcome> {
    const checked = await this.reauthenticate(input);
    if (!checked.ok) return checked;
    await this.store.deleteByUserId(input.userId);
    await this.emit({ type: TwoFactorEventType.Disabled, userId: input.userId, at: this.clock(), reason: 'user', ...requestMeta(input.meta) });
    return { ok: true };
  }

  /** Replaces the backup codes after checking the current password (S8); the old codes die. */
  async regenerateBackupCodes(input: UserInput & { password: unknown }): Promise<TwoFactorOutcome<{ backupCodes: string[] }>> {
    const checked = await this.reauthenticate(input);
    if (!checked.ok) return checked;
    const backupCodes = this.newBackupCodes();
    await this.store.replaceBackupCodes({ credentialId: checked.record.id, hashes: await this.hasher.hashSet(backupCodes), now: this.clock() });
    await this.emit({ type: TwoFactorEventType.BackupCodesRegenerated, userId: input.userId, at: this.clock(), ...requestMeta(input.meta) });
    return { ok: true, backupCodes };
  }

  /** Support turns a user's 2FA off (never on). Audited and notifiable (S10). */
  async adminDisable(input: AdminInput): Promise<TwoFactorOutcome> {
    const deleted = await this.store.deleteByUserId(input.userId);
    if (!deleted) return this.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', 'not_enabled');
    await this.emit({ type: TwoFactorEventType.AdminDisabled, userId: input.userId, at: this.clock(), reason: 'admin', actorId: input.actorId, ...requestMeta(input.meta) });
    return { ok: true };
  }

  /** Support lifts a brute-force lock or backoff (S16). Audited and notifiable. */
  async adminUnlock(input: AdminInput): Promise<TwoFactorOutcome<{ wasLocked: boolean }>> {
    return this.unlock(input, 'admin', input.actorId);
  }

  /**
   * Lifts a lock after a recovery the host approved, e.g. a password reset proven by email (S16).
   * Call it only after that proof.
   */
  async unlockAfterRecovery(input: UserInput): Promise<TwoFactorOutcome<{ wasLocked: boolean }>> {
    return this.unlock(input, 'recovery');
  }

  private async unlock(input: UserInput, reason: 'admin' | 'recovery', actorId?: string): Promise<TwoFactorOutcome<{ wasLocked: boolean }>> {
    const credential = await this.store.findByUserId(input.userId);
    if (!credential || credential.state !== 'active') return this.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', 'not_enabled');
    const now = this.clock();
    await this.store.resetFailures(credential.id, now);
    const wasLocked = credential.lockedAt !== null;
    if (wasLocked) await this.emit({ type: TwoFactorEventType.Unlocked, userId: input.userId, at: now, reason, actorId, ...requestMeta(input.meta) });
    return { ok: true, wasLocked };
  }

  /**
   * A correct code or backup code whose conditional write changed nothing. Re-reads to say why:
   * the step or code was already used (a replay, S15), a parallel failure moved the counter (S16),
   * or a lock or backoff arrived meanwhile. Never counted, so a double submit cannot lock the owner out.
   */
  private async refuseValidAttempt(
    read: CredentialRecord,
    now: Date,
    meta: RequestMeta | undefined,
    method: 'totp' | 'backup_code',
    step?: number,
  ): Promise<TwoFactorFailure> {
    const current = (await this.store.findByUserId(read.userId)) ?? read;
    const gate = current.id === read.id ? await this.gate(current, now, meta, method) : null;
    if (gate) return gate;
    const replayed = method === 'backup_code' || (step !== undefined && current.lastUsedStep !== null && current.lastUsedStep >= step);
    if (replayed && current.failureCount === read.failureCount) {
      const type = method === 'totp' ? TwoFactorEventType.CodeReplayed : TwoFactorEventType.BackupCodeFailed;
      return this.fail({ type, userId: read.userId, at: now, reason: 'replayed', method, ...requestMeta(meta) }, new InvalidCodeError());
    }
    const type = method === 'totp' ? TwoFactorEventType.CodeFailed : TwoFactorEventType.BackupCodeFailed;
    return this.fail({ type, userId: read.userId, at: now, reason: 'concurrent_failure', method, ...requestMeta(meta) }, new InvalidCodeError());
  }

  private async reauthenticate(input: UserInput & { password: unknown }): Promise<TwoFactorOutcome<{ record: CredentialRecord }>> {
    const { userId, meta } = input;
    const refused = await this.refuseIneligible(userId, meta);
    if (refused) return refused;
    const now = this.clock();
    const credential = await this.store.findByUserId(userId);
    if (!credential || credential.state !== 'active') return this.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', 'not_enabled');
    if (typeof input.password !== 'string' || input.password.length === 0 || input.password.length > 1024) {
      return this.fail({ type: TwoFactorEventType.ReauthFailed, userId, at: now, reason: 'malformed_input', ...requestMeta(meta) }, new InvalidInputError('The password is required.'));
    }
    if (credential.backoffUntil && credential.backoffUntil > now) return this.throttled(credential, now, meta);
    if (!(await this.options.verifyPassword(userId, input.password))) {
      const state = await this.store.recordFailure({ credentialId: credential.id, now, decide: (count) => this.throttle.decide(count, now) });
      await this.emit({ type: TwoFactorEventType.ReauthFailed, userId, at: now, reason: 'wrong_password', failureCount: state.failureCount, ...requestMeta(meta) });
      if (state.lockedAt && this.lockedByThisFailure(state.failureCount, now)) await this.emit({ type: TwoFactorEventType.Locked, userId, at: now, failureCount: state.failureCount, ...requestMeta(meta) });
      return { ok: false, error: new InvalidPasswordError(), reason: 'wrong_password' };
    }
    return { ok: true, record: credential };
  }

  private async activeCredential(userId: string, now: Date, meta: RequestMeta | undefined, method: 'totp' | 'backup_code'): Promise<TwoFactorOutcome<{ record: CredentialRecord }>> {
    const credential = await this.store.findByUserId(userId);
    if (credential?.state === 'active') return { ok: true, record: credential };
    const type = method === 'totp' ? TwoFactorEventType.CodeFailed : TwoFactorEventType.BackupCodeFailed;
    await this.emit({ type, userId, at: now, reason: 'not_enabled', method, ...requestMeta(meta) });
    return this.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', 'not_enabled');
  }

  /** Refuses before any crypto when locked or in backoff; neither is counted (S16). */
  private async gate(credential: CredentialRecord, now: Date, meta: RequestMeta | undefined, method: 'totp' | 'backup_code'): Promise<TwoFactorFailure | null> {
    if (credential.lockedAt) {
      return this.fail({ type: TwoFactorEventType.LockedAttempt, userId: credential.userId, at: now, reason: 'locked', method, ...requestMeta(meta) }, new LockedError());
    }
    if (credential.backoffUntil && credential.backoffUntil > now) return this.throttled(credential, now, meta, method);
    return null;
  }

  private async throttled(credential: CredentialRecord, now: Date, meta: RequestMeta | undefined, method?: 'totp' | 'backup_code'): Promise<TwoFactorFailure> {
    const retryAfterSeconds = Math.ceil(((credential.backoffUntil as Date).getTime() - now.getTime()) / 1000);
    const error = new ThrottledError(retryAfterSeconds);
    return this.fail({ type: TwoFactorEventType.Throttled, userId: credential.userId, at: now, reason: 'backoff', method, retryAfterSeconds: error.retryAfterSeconds, ...requestMeta(meta) }, error);
  }

  private async countFailure(
    credential: CredentialRecord,
    now: Date,
    meta: RequestMeta | undefined,
    type: TwoFactorEvent['type'],
    method: 'totp' | 'backup_code',
  ): Promise<TwoFactorFailure> {
    const state = await this.store.recordFailure({ credentialId: credential.id, now, decide: (count) => this.throttle.decide(count, now) });
    await this.emit({ type, userId: credential.userId, at: now, reason: 'invalid_code', method, failureCount: state.failureCount, ...requestMeta(meta) });
    if (state.lockedAt) {
      if (this.lockedByThisFailure(state.failureCount, now)) await this.emit({ type: TwoFactorEventType.Locked, userId: credential.userId, at: now, method, failureCount: state.failureCount, ...requestMeta(meta) });
      return { ok: false, error: new LockedError(), reason: 'locked' };
    }
    return { ok: false, error: new InvalidCodeError(), reason: 'invalid_code' };
  }

  /**
   * Whether this failure's count is the one that crossed the lock threshold. The counts of parallel
   * failures are distinct (the store increments atomically), so exactly one attempt of a burst emits
   * `locked` and the user is notified once (S26); the credential read before the attempt is stale
   * under concurrency and cannot tell.
   */
  private lockedByThisFailure(failureCount: number, now: Date): boolean {
    return this.throttle.decide(failureCount, now).lock && !this.throttle.decide(failureCount - 1, now).lock;
  }

  private async refuseIneligible(userId: string, meta: RequestMeta | undefined): Promise<TwoFactorFailure | null> {
    if (await this.isEligible(userId)) return null;
    return this.fail({ type: TwoFactorEventType.NotEligible, userId, at: this.clock(), reason: 'not_eligible', ...requestMeta(meta) }, new NotEligibleError());
  }

  private async isEligible(userId: string): Promise<boolean> {
    return this.options.isEligible ? Boolean(await this.options.isEligible(userId)) : true;
  }

  private decrypt(credential: CredentialRecord): Buffer {
    return this.cipher.decrypt(credential.encryptedSecret, { userId: credential.userId, credentialId: credential.id });
  }

  private newBackupCodes(): string[] {
    return Array.from({ length: this.backupCodeCount }, generateBackupCode);
  }

  private conflict(code: ConstructorParameters<typeof TwoFactorStateError>[0], message: string, reason: TwoFactorEventReason = 'not_enabled'): TwoFactorFailure {
    return { ok: false, error: new TwoFactorStateError(code, message), reason };
  }

  private async fail(event: TwoFactorEvent, error: TwoFactorError): Promise<TwoFactorFailure> {
    await this.emit(event);
    return { ok: false, error, reason: event.reason ?? 'invalid_code' };
  }

  private async emit(event: TwoFactorEvent): Promise<void> {
    for (const sink of this.sinks) {
      try {
        await sink(event);
      } catch (error) {
        if (this.options.onEventError) this.options.onEventError(error, event);
        else console.error(`secondfactor: event sink failed for ${event.type}`);
      }
    }
  }
}
