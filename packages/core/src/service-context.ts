/**
 * What every service operation shares: validated settings, the crypto helpers, the event sinks,
 * and the small constructors of failures. Internal to core; `TwoFactorService` is the public face.
 */
import { BackupCodeHasher, generateBackupCode } from './backup-codes';
import {
  ConfigurationError,
  InvalidUserIdError,
  NotEligibleError,
  StoreUnavailableError,
  TwoFactorStateError,
  type TwoFactorError,
} from './errors';
import {
  TwoFactorEventType,
  type RequestMeta,
  type TwoFactorEvent,
  type TwoFactorEventReason,
  type TwoFactorEventSink,
} from './events';
import type { TwoFactorFailure } from './outcome';
import { SecretCipher } from './secret-cipher';
import {
  DEFAULT_GRACE_DAYS,
  DEFAULT_PENDING_TTL_SECONDS,
  DEFAULT_TRUSTED_DEVICE_DAYS,
  MAX_BACKUP_CODE_COUNT,
  MAX_TRUSTED_DEVICE_DAYS,
  type TwoFactorServiceOptions,
} from './service-options';
import { checkRotateSecurityStamp } from './security-stamp';
import type { CredentialRecord, TwoFactorStore } from './store';
import { ThrottlePolicy } from './throttle-policy';
import { assertValidWindow, DEFAULT_WINDOW, type TotpWindow } from './totp';
import { isValidUserId } from './user-id';

/**
 * Copies only the documented request fields into an event. Callers may hand over a wider object
 * (a request, a body); spread whole, it could overwrite `type` or `userId` or carry a code (S27).
 */
export function requestMeta(meta: RequestMeta | undefined): RequestMeta {
  const picked: RequestMeta = {};
  if (typeof meta?.ip === 'string') picked.ip = meta.ip;
  if (typeof meta?.userAgent === 'string') picked.userAgent = meta.userAgent;
  return picked;
}

/** The 409 codes a state conflict can carry. */
export type ConflictCode = ConstructorParameters<typeof TwoFactorStateError>[0];

/** Validated settings and shared helpers of one service instance. */
export class ServiceContext {
  readonly store: TwoFactorStore;
  readonly cipher: SecretCipher;
  readonly hasher: BackupCodeHasher;
  readonly throttle: ThrottlePolicy;
  readonly window: TotpWindow;
  readonly clock: () => Date;
  readonly pendingTtlSeconds: number;
  readonly backupCodeCount: number;
  readonly graceDays: number;
  /** Days a remembered browser skips the second factor; 0 when trusted devices are off (S34). */
  readonly trustedDeviceDays: number;
  readonly options: TwoFactorServiceOptions;
  private readonly audit: TwoFactorEventSink | undefined;
  private readonly sinks: TwoFactorEventSink[];

  /** Validates every option, so bad configuration fails at start-up, never at the first request. */
  constructor(options: TwoFactorServiceOptions) {
    if (!options || typeof options !== 'object')
      throw new ConfigurationError('TwoFactorService needs an options object.');
    if (!options.store) throw new ConfigurationError('TwoFactorService needs a store.');
    if (!options.keyring) throw new ConfigurationError('TwoFactorService needs a keyring.');
    if (typeof options.verifyPassword !== 'function')
      throw new ConfigurationError('TwoFactorService needs verifyPassword(userId, password).');
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
    if (
      !Number.isInteger(this.backupCodeCount) ||
      this.backupCodeCount < 1 ||
      this.backupCodeCount > MAX_BACKUP_CODE_COUNT
    ) {
      throw new ConfigurationError(`backupCodeCount must be an integer from 1 to ${MAX_BACKUP_CODE_COUNT}.`);
    }
    this.graceDays = options.graceDays ?? DEFAULT_GRACE_DAYS;
    if (!Number.isInteger(this.graceDays) || this.graceDays < 0 || this.graceDays > 365)
      throw new ConfigurationError('graceDays must be an integer from 0 to 365.');
    if (options.requirement !== undefined && typeof options.requirement !== 'function')
      throw new ConfigurationError('requirement must be a function of a user id.');
    this.trustedDeviceDays = options.trustedDeviceDays ?? DEFAULT_TRUSTED_DEVICE_DAYS;
    if (
      !Number.isInteger(this.trustedDeviceDays) ||
      this.trustedDeviceDays < 0 ||
      this.trustedDeviceDays > MAX_TRUSTED_DEVICE_DAYS
    ) {
      throw new ConfigurationError(`trustedDeviceDays must be an integer from 0 to ${MAX_TRUSTED_DEVICE_DAYS}.`);
    }
    checkRotateSecurityStamp(options.rotateSecurityStamp);
    if (options.audit !== undefined && typeof options.audit !== 'function')
      throw new ConfigurationError('audit must be an event sink: a function of one event.');
    this.audit = options.audit;
    this.sinks =
      options.onEvent === undefined ? [] : Array.isArray(options.onEvent) ? [...options.onEvent] : [options.onEvent];
  }

  /** Whether the host lets this user use 2FA (S9). */
  async isEligible(userId: string): Promise<boolean> {
    return this.options.isEligible ? Boolean(await this.options.isEligible(userId)) : true;
  }

  /** A 403 failure for an ineligible user, or null (S9). */
  async refuseIneligible(userId: string, meta: RequestMeta | undefined): Promise<TwoFactorFailure | null> {
    if (await this.isEligible(userId)) return null;
    return this.fail(
      { type: TwoFactorEventType.NotEligible, userId, at: this.clock(), reason: 'not_eligible', ...requestMeta(meta) },
      new NotEligibleError(),
    );
  }

  /**
   * Runs a synchronous `check` with the plaintext secret of a credential, authenticated against its
   * user and id (S6), and zeroes the secret as soon as `check` returns or throws (S40). `check` must
   * not keep the buffer nor turn it into a string.
   */
  withSecret<T>(credential: CredentialRecord, check: (secret: Buffer) => T): T {
    const binding = { userId: credential.userId, credentialId: credential.id };
    const secret = this.cipher.decrypt(credential.encryptedSecret, binding);
    try {
      return check(secret);
    } finally {
      secret.fill(0);
    }
  }

  /** A fresh set of `backupCodeCount` codes. */
  newBackupCodes(): string[] {
    return Array.from({ length: this.backupCodeCount }, generateBackupCode);
  }

  /** A 409 failure with its precise reason; state conflicts emit no event of their own. */
  conflict(code: ConflictCode, message: string, reason: TwoFactorEventReason): TwoFactorFailure {
    return { ok: false, error: new TwoFactorStateError(code, message), reason };
  }

  /**
   * A 400 failure for each id that is not a valid user id, checked before any store call, or null.
   * It emits no event: an id the stores cannot hold cannot be audited either.
   */
  refuseInvalidUserIds(...ids: unknown[]): TwoFactorFailure | null {
    if (ids.every(isValidUserId)) return null;
    return { ok: false, error: new InvalidUserIdError(), reason: 'invalid_user_id' };
  }

  /** Emits the event, then returns it as a failure with this error and the event's reason. */
  async fail(
    event: TwoFactorEvent & { reason: TwoFactorEventReason },
    error: TwoFactorError,
  ): Promise<TwoFactorFailure> {
    await this.emit(event);
    return { ok: false, error, reason: event.reason };
  }

  /**
   * Writes each event to the audit sink, then hands it to every `onEvent` sink. A throwing
   * `onEvent` sink is reported and the outcome stands. An audit write that fails rejects with a 503,
   * but only after every event went to the other sinks, so a lock is still notified (see
   * `TwoFactorServiceOptions.audit`).
   */
  async emit(...events: TwoFactorEvent[]): Promise<void> {
    let auditFailure: { error: unknown } | undefined;
    for (const event of events) {
      if (this.audit) {
        try {
          await this.audit(event);
        } catch (error) {
          auditFailure ??= { error };
        }
      }
      for (const sink of this.sinks) {
        try {
          await sink(event);
        } catch (error) {
          if (this.options.onEventError) this.options.onEventError(error, event);
          else console.error(`secondfactor: event sink failed for ${event.type}`);
        }
      }
    }
    if (auditFailure) {
      throw new StoreUnavailableError('The audit trail could not be written; the request is refused.', {
        cause: auditFailure.error,
      });
    }
  }
}
