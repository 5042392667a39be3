/**
 * The framework-free two-factor service (docs/architecture.md#state-model and #flows). It owns the rules: enrollment,
 * verification with replay protection, backup codes, throttling, management and events. It knows
 * nothing of HTTP, Passport or SQL; adapters translate its outcomes. Each area lives in its own
 * module (enrollment, second-step, management, attempt-guard); this class is their public face.
 */
import * as enrollment from './enrollment';
import { enrollmentPolicy, type EnrollmentPolicyState } from './enrollment-policy';
import type { RequestMeta } from './events';
import { InvalidUserIdError } from './errors';
import * as management from './management';
import type { TwoFactorOutcome } from './outcome';
import * as reauthentication from './reauthentication';
import * as secondStep from './second-step';
import * as stepUp from './step-up';
import * as securityStamp from './security-stamp';
import { ServiceContext } from './service-context';
import type { TwoFactorServiceOptions } from './service-options';
import type { AdminInput, EnrollmentStart, SecondFactorSuccess, TwoFactorStatus, UserInput } from './service-types';
import type { ThrottlePolicy } from './throttle-policy';
import * as trustedDevices from './trusted-devices';
import type {
  PasswordStepDecision,
  TrustedDevice,
  TrustedDeviceGrant,
  TrustedDeviceRevocationReason,
} from './trusted-devices';
import { isValidUserId } from './user-id';
import { checkUserIdKind, hostUserId, type HostUserId, type UserIdKind } from './host-user-ids';

/** The options with the hooks wrapped to take the service's string ids, for the context. */
function withServiceUserIds<Kind extends UserIdKind>(
  options: TwoFactorServiceOptions<Kind>,
  kind: Kind,
): TwoFactorServiceOptions {
  if (kind === 'string' || !options || typeof options !== 'object')
    return options as unknown as TwoFactorServiceOptions;
  const { verifyPassword, isEligible, rotateSecurityStamp, requirement } = options;
  const host = (userId: string) => hostUserId(kind, userId);
  return {
    ...(options as unknown as TwoFactorServiceOptions),
    userIds: 'string',
    verifyPassword:
      typeof verifyPassword === 'function'
        ? (userId, password) => verifyPassword(host(userId), password)
        : verifyPassword,
    isEligible: typeof isEligible === 'function' ? (userId) => isEligible(host(userId)) : isEligible,
    rotateSecurityStamp:
      typeof rotateSecurityStamp === 'function' ? (userId) => rotateSecurityStamp(host(userId)) : rotateSecurityStamp,
    requirement: typeof requirement === 'function' ? (userId) => requirement(host(userId)) : requirement,
  };
}

/**
 * The two-factor service. Construct it once at start-up; it holds no per-user state (docs/architecture.md#scale-model).
 * Bad options throw a `ConfigurationError` here, never at the first request. Every method checks
 * its user ids (`isValidUserId`) before any store call: an operation answers a bad one with a 400
 * `TWO_FACTOR_INVALID_USER_ID` failure, and `status` and `isEnabled` reject with that error.
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
export class TwoFactorService<Kind extends UserIdKind = 'string'> {
  private readonly ctx: ServiceContext;

  /** Your users' id type, from the `userIds` option: the hooks get ids in it. */
  readonly userIds: Kind;

  constructor(options: TwoFactorServiceOptions<Kind>) {
    this.userIds = checkUserIdKind(options?.userIds) as Kind;
    this.ctx = new ServiceContext(withServiceUserIds(options, this.userIds));
  }

  /**
   * A user id the service keeps (in events, in passport-totp's pending login) in your type: a
   * number when `userIds` is `'integer'`.
   */
  hostUserId(userId: string): HostUserId<Kind> {
    return hostUserId(this.userIds, userId);
  }

  /** The server clock the service reads (S11); adapters and the strategy default to it. */
  get clock(): () => Date {
    return this.ctx.clock;
  }

  /**
   * Whether every change of the user's 2FA state rotates a security stamp (the host gave
   * `rotateSecurityStamp`, S31): a session whose stamp is current then knows the state it signed
   * in with is still the user's.
   */
  get rotatesSecurityStamps(): boolean {
    return typeof this.ctx.options.rotateSecurityStamp === 'function';
  }

  /** The throttle policy in force. */
  get throttlePolicy(): ThrottlePolicy {
    return this.ctx.throttle;
  }

  /**
   * The user's 2FA status, for Security Settings; never a secret (S7). It reads the credential, the
   * eligibility hook and the backup codes: the password step needs only {@link isEnabled}.
   */
  async status(userId: string): Promise<TwoFactorStatus> {
    if (!isValidUserId(userId)) throw new InvalidUserIdError();
    return management.status(this.ctx, userId);
  }

  /**
   * Whether the user's second factor is on (active, locked or not), in one indexed read: what the
   * password step asks before it signs the user in or leaves only a pending second factor (S20).
   * Eligibility is not consulted: a factor that is on is always asked for.
   */
  async isEnabled(userId: string): Promise<boolean> {
    if (!isValidUserId(userId)) throw new InvalidUserIdError();
    return management.isEnabled(this.ctx, userId);
  }

  /**
   * Where the user stands under the 2FA policy (S36): required or not, the grace deadline, and
   * whether enrollment is due, so only enrollment may be reached. What the guards ask on every
   * request: the `requirement` hook first, and store reads only for a required user. The first time
   * a required user without 2FA is seen, the deadline is stored and `enrollment.required` emitted.
   */
  async enrollmentPolicy(userId: string, meta?: RequestMeta): Promise<EnrollmentPolicyState> {
    if (!isValidUserId(userId)) throw new InvalidUserIdError();
    return enrollmentPolicy(this.ctx, userId, meta);
  }

  /**
   * Marks the reminder before the user's enrollment deadline sent (S36): true exactly once per
   * stored deadline, so a reminder job that runs twice mails once. False when no deadline is stored.
   */
  async claimEnrollmentReminder(userId: string): Promise<boolean> {
    if (!isValidUserId(userId)) throw new InvalidUserIdError();
    return this.ctx.store.claimEnrollmentReminder({ userId, now: this.ctx.clock() });
  }

  /**
   * Starts enrollment: a new secret, pending for `pendingTtlSeconds` (S7). While a setup is pending
   * it answers with that same secret and expiry (`resumed: true`), so Back, a reload or a second tab
   * never silently replace the key the user's app holds (S39). `startOver: true` discards a pending
   * setup for a new secret. A conflict if 2FA is already active; 403 if not eligible (S9).
   */
  beginEnrollment(
    input: UserInput & { accountName: string; startOver?: boolean },
  ): Promise<TwoFactorOutcome<EnrollmentStart>> {
    return this.checked([input.userId], () => enrollment.beginEnrollment(this.ctx, input));
  }

  /**
   * Confirms enrollment with a code from the app. Activates 2FA and stores the backup codes in one
   * transaction, consumes the confirming step (S12), and returns the backup codes once.
   */
  confirmEnrollment(
    input: UserInput & { code: unknown },
  ): Promise<TwoFactorOutcome<{ backupCodes: string[]; securityStamp?: string }>> {
    return this.checked([input.userId], () => enrollment.confirmEnrollment(this.ctx, input));
  }

  /**
   * Verifies a TOTP code for the second login step. A step is accepted once, atomically (S12);
   * a replay is refused and emitted as `code.replayed` (S15). Locks and backoff apply (S16).
   */
  verifyCode(input: UserInput & { code: unknown }): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    return this.checked([input.userId], () => secondStep.verifyCode(this.ctx, input));
  }

  /**
   * Uses a backup code for the second login step: once, atomically (S19). One scrypt evaluation per
   * attempt (S18). When the last unused code is used, a new set is issued in the same transaction
   * and returned once; 2FA stays on.
   */
  useBackupCode(input: UserInput & { backupCode: unknown }): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    return this.checked([input.userId], () => secondStep.useBackupCode(this.ctx, input));
  }

  /** The login challenge: exactly one of `code` or `backupCode`. Anything else is malformed input. */
  authenticate(
    input: UserInput & { code?: unknown; backupCode?: unknown },
  ): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    return this.checked([input.userId], () => secondStep.authenticate(this.ctx, input));
  }

  /**
   * Confirms a sensitive action in a signed-in session (S35) with a code or a backup code, under the
   * login's rules: a step is accepted once, so a code that signed the user in cannot confirm again
   * (S12); failures share the login's counter and backoff (S16); a backup code is consumed and, the
   * last one, reissued (S19). A success is audited as `step_up.confirmed`. The host records the
   * time in the session.
   *
   * @example
   * ```ts
   * const outcome = await service.confirmStepUp({ userId: '42', code: '123456' });
   * if (outcome.ok) session.stepUpAt = Date.now();
   * ```
   */
  confirmStepUp(
    input: UserInput & { code?: unknown; backupCode?: unknown },
  ): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
    return this.checked([input.userId], () => stepUp.confirmStepUp(this.ctx, input));
  }

  /**
   * Audits a step-up the host confirmed with the user's password (S35), for a user without 2FA. The
   * host throttles its password check like a login's (S29). A user with 2FA on gets a 409: only
   * the second factor confirms for them.
   *
   * @example
   * ```ts
   * if (await passwordChecker.check(user, password)) await service.recordPasswordStepUp({ userId: '42' });
   * ```
   */
  recordPasswordStepUp(input: UserInput): Promise<TwoFactorOutcome> {
    return this.checked([input.userId], () => stepUp.recordPasswordStepUp(this.ctx, input));
  }

  /**
   * Audits a step-up password the host refused (S27, S35), for a user without 2FA: a wrong one as
   * `reauth.failed`, one refused during the host's backoff as `throttled`.
   *
   * @example
   * ```ts
   * await service.recordFailedPasswordStepUp({ userId: '42', reason: 'wrong_password' });
   * ```
   */
  async recordFailedPasswordStepUp(
    input: UserInput & { reason: 'wrong_password' | 'backoff'; retryAfterSeconds?: number },
  ): Promise<void> {
    if (!isValidUserId(input.userId)) throw new InvalidUserIdError();
    await stepUp.recordFailedPasswordStepUp(this.ctx, input);
  }

  /**
   * Checks the current password of a user with 2FA on for the host's own sensitive change, such
   * as a password change, as an attempt like a code (S29): counted before `verifyPassword` runs,
   * 423 while locked and 429 during backoff without a check, and a wrong password counts toward
   * the lock. 409 `TWO_FACTOR_NOT_ENABLED` for a user without 2FA, whom the host throttles itself.
   */
  reauthenticate(input: UserInput & { password: unknown }): Promise<TwoFactorOutcome> {
    return this.checked([input.userId], async () => {
      const checked = await reauthentication.reauthenticate(this.ctx, input);
      return checked.ok ? { ok: true as const } : checked;
    });
  }

  /**
   * Turns 2FA off after checking the current password (S8). A user the policy requires gets 409
   * `TWO_FACTOR_REQUIRED_BY_POLICY` before the password is checked (S36). Deletes the secret and backup codes.
   * The password check is an attempt like a code (S29): refused with 423 while locked and 429
   * during backoff without running `verifyPassword`, and a wrong password counts toward the lock.
   */
  disable(input: UserInput & { password: unknown }): Promise<TwoFactorOutcome<{ securityStamp?: string }>> {
    return this.checked([input.userId], () => management.disable(this.ctx, input));
  }

  /** Replaces the backup codes after checking the current password (S8, S29, as for `disable`); the old codes die. */
  regenerateBackupCodes(
    input: UserInput & { password: unknown },
  ): Promise<TwoFactorOutcome<{ backupCodes: string[]; securityStamp?: string }>> {
    return this.checked([input.userId], () => management.regenerateBackupCodes(this.ctx, input));
  }

  /**
   * Support turns a user's 2FA off (never on). Audited and notifiable (S10). For a user the policy
   * requires, the grace deadline becomes now: enrollment is due at the next sign-in (S36). `actorId` is checked
   * like a user id, since the audit trail must hold it. The security stamp rotates before the delete, so
   * every session of the user ends (S31); a failing `rotateSecurityStamp` hook rejects and leaves 2FA on.
   */
  adminDisable(input: AdminInput): Promise<TwoFactorOutcome> {
    return this.checked([input.userId, input.actorId], () => management.adminDisable(this.ctx, input));
  }

  /** Support lifts a brute-force lock or backoff (S16). Audited and notifiable. */
  adminUnlock(input: AdminInput): Promise<TwoFactorOutcome<{ wasLocked: boolean }>> {
    return this.checked([input.userId, input.actorId], () =>
      management.unlock(this.ctx, input, 'admin', input.actorId),
    );
  }

  /**
   * Lifts a lock after a recovery the host approved, e.g. a password reset proven by email (S16).
   * Call it only after that proof.
   */
  unlockAfterRecovery(input: UserInput): Promise<TwoFactorOutcome<{ wasLocked: boolean }>> {
    return this.checked([input.userId], () => management.unlock(this.ctx, input, 'recovery'));
  }

  /** Days a remembered browser skips the second factor; 0 when trusted devices are off (S34). */
  get trustedDeviceDays(): number {
    return this.ctx.trustedDeviceDays;
  }

  /**
   * What the password step does after a correct password (S20, S34), in one indexed read, plus one
   * on the token hash when a well-formed device token is presented: 2FA off; the second factor
   * required; or skipped, because the token is a trusted device of this user and this credential
   * that has not expired. The password is always checked before this; a trusted device never
   * replaces it. The device's last-used time is written at most once an hour.
   */
  async passwordStep(input: UserInput & { deviceToken?: unknown }): Promise<PasswordStepDecision> {
    if (!isValidUserId(input?.userId)) throw new InvalidUserIdError();
    return trustedDevices.passwordStep(this.ctx, input);
  }

  /**
   * Remembers the browser that just passed the second factor (S34): a 256-bit token, stored only as
   * its SHA-256 hash and bound to the user and the active credential, valid `trustedDeviceDays`.
   * The oldest device beyond 10 is evicted. Emits `trusted_device.added` (notifiable). Throws a
   * `ConfigurationError` when trusted devices are off.
   */
  trustDevice(input: UserInput & { label?: unknown }): Promise<TwoFactorOutcome<TrustedDeviceGrant>> {
    return this.checked([input.userId], () => trustedDevices.trustDevice(this.ctx, input));
  }

  /** The user's unexpired trusted devices, newest first; `current` marks the one whose token is given (S34). */
  async listTrustedDevices(input: { userId: string; deviceToken?: unknown }): Promise<TrustedDevice[]> {
    if (!isValidUserId(input?.userId)) throw new InvalidUserIdError();
    return trustedDevices.listTrustedDevices(this.ctx, input);
  }

  /** Revokes one of the user's trusted devices: `{ revoked: 1 }`, or 0 when it is gone or not theirs (S34). */
  revokeTrustedDevice(input: UserInput & { deviceId: unknown }): Promise<TwoFactorOutcome<{ revoked: number }>> {
    return this.checked([input.userId], () => trustedDevices.revokeTrustedDevice(this.ctx, input));
  }

  /**
   * Revokes every trusted device of the user, in one statement (S34): the user's "Revoke all", and
   * what the host calls on a password change (`reason: 'password_changed'`). Emits
   * `trusted_devices.revoked` when there were any. With `endOtherSessions` it also rotates the
   * security stamp and returns it as `securityStamp`, so the user's other sessions end (S31): the
   * user's own revoke-all; the stamp rotates first, so a failing hook rejects and revokes nothing.
   * Leave it off where the caller rotates the stamp itself (a password change).
   */
  revokeTrustedDevices(input: {
    userId: string;
    reason: TrustedDeviceRevocationReason;
    /** Rotate the security stamp too, ending the user's other sessions (S31). Default false. */
    endOtherSessions?: boolean;
    meta?: RequestMeta;
  }): Promise<TwoFactorOutcome<{ revoked: number; securityStamp?: string }>> {
    return this.checked([input.userId], () => trustedDevices.revokeTrustedDevices(this.ctx, input));
  }

  /**
   * Rotates the user's security stamp through the `rotateSecurityStamp` hook (S31) and resolves to
   * the new one (undefined without the hook). Enable, disable, admin disable and new backup codes
   * already do; call it on a password change, and hand the stamp to the session that made the change.
   * A failing hook rejects with `StoreUnavailableError`.
   */
  async rotateSecurityStamp(userId: string): Promise<string | undefined> {
    if (!isValidUserId(userId)) throw new InvalidUserIdError();
    return securityStamp.rotateSecurityStamp(this.ctx, userId);
  }

  /** Runs `operation` only when every id is a valid user id; otherwise a 400 failure, and no store call. */
  private async checked<T extends object>(
    ids: unknown[],
    operation: () => Promise<TwoFactorOutcome<T>>,
  ): Promise<TwoFactorOutcome<T>> {
    return this.ctx.refuseInvalidUserIds(...ids) ?? operation();
  }
}
