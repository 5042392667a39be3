/**
 * An in-memory {@link TwoFactorStore} for development and tests. It is atomic within one process
 * only: replay steps and failure counters are not shared between processes and vanish on restart.
 * It warns once when first constructed.
 */
import type {
  AcceptChargedAttemptInput,
  ActivateInput,
  ChargeAttemptInput,
  ConsumeBackupCodeInput,
  CreatedEnrollmentDeadline,
  CreateTrustedDeviceInput,
  CredentialRecord,
  EnrollmentDeadlineInput,
  EnrollmentDeadlineRecord,
  FailureState,
  FindTrustedDeviceInput,
  RecordFailureInput,
  ReplaceBackupCodesInput,
  SavePendingInput,
  TouchTrustedDeviceInput,
  TrustedDeviceRecord,
  TwoFactorStore,
  UpdateSecretInput,
  UseStepInput,
} from './store';

interface StoredBackupCode {
  hash: string;
  usedAt: Date | null;
}

let warned = false;

/** Options for {@link MemoryTwoFactorStore}. */
export interface MemoryTwoFactorStoreOptions {
  /** Suppress the single-process warning (tests). */
  quiet?: boolean;
}

/**
 * Development-only store. Use `@secondfactor/typeorm` (or another adapter) in production.
 *
 * @example
 * ```ts
 * const store = new MemoryTwoFactorStore();
 * await store.findByUserId('42'); // null
 * ```
 */
export class MemoryTwoFactorStore implements TwoFactorStore {
  private readonly credentials = new Map<string, CredentialRecord>();
  private readonly backupCodes = new Map<string, StoredBackupCode[]>();
  private readonly deadlines = new Map<string, EnrollmentDeadlineRecord>();
  private readonly devices = new Map<string, TrustedDeviceRecord>();

  constructor(options: MemoryTwoFactorStoreOptions = {}) {
    if (!warned && !options.quiet) {
      warned = true;
      process.emitWarning(
        'MemoryTwoFactorStore keeps 2FA state in this process only: replay protection and throttling are not shared across processes or restarts. Use it for development and tests only.',
        { code: 'SECONDFACTOR_MEMORY_STORE' },
      );
    }
  }

  async findByUserId(userId: string): Promise<CredentialRecord | null> {
    const found = this.credentials.get(userId);
    return found ? { ...found } : null;
  }

  async savePending(input: SavePendingInput): Promise<boolean> {
    const existing = this.credentials.get(input.userId);
    if (existing?.state === 'active') return false;
    if (input.replaces !== undefined && (existing?.id ?? null) !== input.replaces) return false;
    if (existing) this.backupCodes.delete(existing.id);
    this.credentials.set(input.userId, {
      id: input.id,
      userId: input.userId,
      state: 'pending',
      encryptedSecret: input.encryptedSecret,
      keyId: input.keyId,
      pendingExpiresAt: input.pendingExpiresAt,
      lastUsedStep: null,
      failureCount: 0,
      backoffUntil: null,
      lockedAt: null,
      createdAt: input.now,
      confirmedAt: null,
      updatedAt: input.now,
    });
    return true;
  }

  async activate(input: ActivateInput): Promise<boolean> {
    const credential = this.byId(input.credentialId);
    if (
      !credential ||
      credential.state !== 'pending' ||
      !credential.pendingExpiresAt ||
      credential.pendingExpiresAt <= input.now
    )
      return false;
    Object.assign(credential, {
      state: 'active',
      lastUsedStep: input.step,
      confirmedAt: input.now,
      pendingExpiresAt: null,
      failureCount: 0,
      backoffUntil: null,
      lockedAt: null,
      updatedAt: input.now,
    });
    this.backupCodes.set(
      credential.id,
      input.backupCodeHashes.map((hash) => ({ hash, usedAt: null })),
    );
    return true;
  }

  async useStep(input: UseStepInput): Promise<boolean> {
    const c = this.byId(input.credentialId);
    if (!c || c.state !== 'active' || c.lockedAt) return false;
    if (c.backoffUntil && c.backoffUntil > input.now) return false;
    if (c.lastUsedStep !== null && c.lastUsedStep >= input.step) return false;
    if (c.failureCount !== input.expectedFailureCount) return false;
    Object.assign(c, { lastUsedStep: input.step, failureCount: 0, backoffUntil: null, updatedAt: input.now });
    return true;
  }

  async listUnusedBackupCodeHashes(credentialId: string): Promise<string[]> {
    return (this.backupCodes.get(credentialId) ?? []).filter((code) => code.usedAt === null).map((code) => code.hash);
  }

  async consumeBackupCode(input: ConsumeBackupCodeInput): Promise<boolean> {
    const c = this.byId(input.credentialId);
    const code = this.backupCodes
      .get(input.credentialId)
      ?.find((row) => row.hash === input.hash && row.usedAt === null);
    if (!c || !code || c.state !== 'active' || c.lockedAt) return false;
    if (c.backoffUntil && c.backoffUntil > input.now) return false;
    if (c.failureCount !== input.expectedFailureCount) return false;
    code.usedAt = input.now;
    if (input.replaceWith)
      this.backupCodes.set(
        c.id,
        input.replaceWith.map((hash) => ({ hash, usedAt: null })),
      );
    Object.assign(c, { failureCount: 0, backoffUntil: null, updatedAt: input.now });
    return true;
  }

  async replaceBackupCodes(input: ReplaceBackupCodesInput): Promise<boolean> {
    if (this.byId(input.credentialId)?.state !== 'active') return false;
    this.backupCodes.set(
      input.credentialId,
      input.hashes.map((hash) => ({ hash, usedAt: null })),
    );
    return true;
  }

  async recordFailure(input: RecordFailureInput): Promise<FailureState | null> {
    const c = this.byId(input.credentialId);
    return c ? countFailure(c, input) : null;
  }

  async chargeAttempt(input: ChargeAttemptInput): Promise<FailureState | null> {
    const c = this.byId(input.credentialId);
    if (!c || c.state !== 'active' || c.lockedAt) return null;
    if (c.backoffUntil && c.backoffUntil > input.now) return null;
    return countFailure(c, input);
  }

  async acceptChargedAttempt(input: AcceptChargedAttemptInput): Promise<boolean> {
    const c = this.byId(input.credentialId);
    if (!c || c.state !== 'active' || c.failureCount !== input.chargedFailureCount) return false;
    Object.assign(c, { failureCount: 0, backoffUntil: null, lockedAt: null, updatedAt: input.now });
    return true;
  }

  async resetFailures(credentialId: string, now: Date): Promise<boolean> {
    const c = this.byId(credentialId);
    if (!c) return false;
    Object.assign(c, { failureCount: 0, backoffUntil: null, lockedAt: null, updatedAt: now });
    return true;
  }

  async updateSecret(input: UpdateSecretInput): Promise<boolean> {
    const c = this.byId(input.credentialId);
    if (!c || c.encryptedSecret !== input.expectedEncryptedSecret) return false;
    Object.assign(c, { encryptedSecret: input.encryptedSecret, keyId: input.keyId, updatedAt: input.now });
    return true;
  }

  async deleteByUserId(userId: string): Promise<boolean> {
    const c = this.credentials.get(userId);
    if (!c) return false;
    this.backupCodes.delete(c.id);
    this.deleteDevicesWhere((device) => device.credentialId === c.id);
    this.credentials.delete(userId);
    return true;
  }

  async findEnrollmentDeadline(userId: string): Promise<EnrollmentDeadlineRecord | null> {
    const found = this.deadlines.get(userId);
    return found ? { ...found } : null;
  }

  async createEnrollmentDeadline(input: EnrollmentDeadlineInput): Promise<CreatedEnrollmentDeadline> {
    const existing = this.deadlines.get(input.userId);
    if (existing) return { record: { ...existing }, created: false };
    const record = { userId: input.userId, deadline: input.deadline, createdAt: input.now, remindedAt: null };
    this.deadlines.set(input.userId, record);
    return { record: { ...record }, created: true };
  }

  async shortenEnrollmentDeadline(input: EnrollmentDeadlineInput): Promise<EnrollmentDeadlineRecord> {
    const existing = this.deadlines.get(input.userId);
    if (!existing) return (await this.createEnrollmentDeadline(input)).record;
    if (existing.deadline > input.deadline) existing.deadline = input.deadline;
    return { ...existing };
  }

  async claimEnrollmentReminder(input: { userId: string; now: Date }): Promise<boolean> {
    const existing = this.deadlines.get(input.userId);
    if (!existing || existing.remindedAt) return false;
    existing.remindedAt = input.now;
    return true;
  }

  async createTrustedDevice(input: CreateTrustedDeviceInput): Promise<boolean> {
    const c = this.byId(input.credentialId);
    if (!c || c.userId !== input.userId || c.state !== 'active') return false;
    this.deleteDevicesWhere((device) => device.userId === input.userId && device.expiresAt <= input.now);
    this.devices.set(input.id, {
      id: input.id,
      userId: input.userId,
      credentialId: input.credentialId,
      tokenHash: input.tokenHash,
      label: input.label,
      createdAt: input.now,
      lastUsedAt: null,
      expiresAt: input.expiresAt,
    });
    // The new device always stays; the oldest of the others go beyond the cap.
    const others = this.devicesOf(input.userId).filter((device) => device.id !== input.id);
    for (const evicted of others.slice(Math.max(0, input.maxPerUser - 1))) this.devices.delete(evicted.id);
    return true;
  }

  async findTrustedDevice(input: FindTrustedDeviceInput): Promise<TrustedDeviceRecord | null> {
    for (const device of this.devices.values()) {
      if (device.tokenHash !== input.tokenHash) continue;
      const bound = device.userId === input.userId && device.credentialId === input.credentialId;
      return bound && device.expiresAt > input.now ? { ...device } : null;
    }
    return null;
  }

  async touchTrustedDevice(input: TouchTrustedDeviceInput): Promise<boolean> {
    const device = this.devices.get(input.id);
    if (!device || (device.lastUsedAt && device.lastUsedAt >= input.lastUsedBefore)) return false;
    device.lastUsedAt = input.now;
    return true;
  }

  async listTrustedDevices(userId: string, now: Date): Promise<TrustedDeviceRecord[]> {
    return this.devicesOf(userId)
      .filter((device) => device.expiresAt > now)
      .map((device) => ({ ...device }));
  }

  async deleteTrustedDevice(userId: string, deviceId: string): Promise<boolean> {
    if (this.devices.get(deviceId)?.userId !== userId) return false;
    return this.devices.delete(deviceId);
  }

  async deleteTrustedDevices(userId: string): Promise<number> {
    return this.deleteDevicesWhere((device) => device.userId === userId);
  }

  /** The user's devices, newest first (ties by id, as the SQL store orders them). */
  private devicesOf(userId: string): TrustedDeviceRecord[] {
    return [...this.devices.values()]
      .filter((device) => device.userId === userId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  private deleteDevicesWhere(matches: (device: TrustedDeviceRecord) => boolean): number {
    let deleted = 0;
    for (const device of [...this.devices.values()]) if (matches(device) && this.devices.delete(device.id)) deleted++;
    return deleted;
  }

  private byId(credentialId: string): CredentialRecord | undefined {
    for (const credential of this.credentials.values()) if (credential.id === credentialId) return credential;
    return undefined;
  }
}

/** One failure: the increment and the policy's decision, with the first lock time kept (S16). */
function countFailure(c: CredentialRecord, input: RecordFailureInput): FailureState {
  c.failureCount += 1;
  const decision = input.decide(c.failureCount);
  c.backoffUntil = decision.backoffUntil;
  if (decision.lock && !c.lockedAt) c.lockedAt = input.now;
  c.updatedAt = input.now;
  return { failureCount: c.failureCount, backoffUntil: c.backoffUntil, lockedAt: c.lockedAt };
}
