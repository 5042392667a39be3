/**
 * The production {@link TwoFactorStore} over a host's TypeORM DataSource (MySQL/MariaDB, SQLite or
 * PostgreSQL). Every state change is one conditional statement checked by affected rows, or one
 * short transaction that locks the credential row first; nothing is read, decided in JS and written
 * back unguarded, so the store is safe under READ COMMITTED as under REPEATABLE READ.
 */
import { randomUUID } from 'node:crypto';
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
} from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import { Rollback, StoreDatabase, type SqlExecutor } from './store-database';
import { twoFactorBackupCodeSchema } from './two-factor-backup-code-entity';
import { twoFactorCredentialSchema, type TwoFactorCredentialEntity } from './two-factor-credential-entity';
import {
  twoFactorEnrollmentDeadlineSchema,
  type TwoFactorEnrollmentDeadlineEntity,
} from './two-factor-enrollment-deadline-entity';
import { twoFactorTrustedDeviceSchema, type TwoFactorTrustedDeviceEntity } from './two-factor-trusted-device-entity';

const CREDENTIAL_COLUMNS = [
  'id',
  'user_id',
  'state',
  'encrypted_secret',
  'key_id',
  'pending_expires_at',
  'last_used_step',
  'failure_count',
  'backoff_until',
  'locked_at',
  'created_at',
  'confirmed_at',
  'updated_at',
].join(', ');

const DEVICE_COLUMNS = [
  'id',
  'user_id',
  'credential_id',
  'token_hash',
  'label',
  'created_at',
  'last_used_at',
  'expires_at',
].join(', ');

/** MySQL, SQLite and PostgreSQL (SQLSTATE 23505) spellings of a unique-key violation. */
const DUPLICATE_KEY_CODES = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  '23505',
]);

function isDuplicateKey(error: unknown): boolean {
  return DUPLICATE_KEY_CODES.has((error as { code?: unknown } | null)?.code as string);
}

/**
 * Stores two-factor state in `two_factor_credentials` and `two_factor_backup_codes`.
 * Register {@link twoFactorEntities} and run {@link twoFactorMigrations} on the DataSource first.
 * Connection faults surface as core's `StoreUnavailableError` (503).
 *
 * @example
 * ```ts
 * import { Keyring, TwoFactorService } from '@secondfactor/core';
 * import { TypeOrmTwoFactorStore } from '@secondfactor/typeorm';
 * const service = new TwoFactorService({
 *   store: new TypeOrmTwoFactorStore(dataSource),
 *   keyring: Keyring.parse(process.env.SECONDFACTOR_KEYS ?? ''),
 *   issuer: 'Acme Billing',
 *   verifyPassword: (userId, password) => users.checkPassword(userId, password),
 * });
 * ```
 */
export class TypeOrmTwoFactorStore implements TwoFactorStore {
  private readonly db: StoreDatabase;

  /** @param dataSource The host's DataSource, with the two-factor entities registered. */
  constructor(dataSource: DataSource) {
    this.db = new StoreDatabase(dataSource);
  }

  async findByUserId(userId: string): Promise<CredentialRecord | null> {
    // One statement on the unique user_id index: the password step's isEnabled costs exactly this.
    const { rows } = await this.db.run(
      `
        SELECT ${CREDENTIAL_COLUMNS}
        FROM ${this.credentials}
        WHERE user_id = :userId`,
      { userId },
    );
    return rows.length === 0 ? null : this.toRecord(rows[0]);
  }

  async savePending(input: SavePendingInput): Promise<boolean> {
    // The service has checked the user id (isValidUserId): it fits user_id varchar(255) on every dialect.
    const params = {
      id: input.id,
      userId: input.userId,
      encryptedSecret: input.encryptedSecret,
      keyId: input.keyId,
      pendingExpiresAt: input.pendingExpiresAt,
      now: input.now,
    };
    const insert = `
      INSERT INTO ${this.credentials} (${CREDENTIAL_COLUMNS})
      VALUES (
        :id, :userId, 'pending', :encryptedSecret, :keyId, :pendingExpiresAt,
        NULL, 0, NULL, NULL, :now, NULL, :now
      )`;
    const { replaces } = input;
    if (this.db.dialect === 'postgres') {
      // A first start (no row read): any row there now, a parallel start's or an active one, wins.
      if (replaces === null)
        return (await this.db.run(`${insert} ON CONFLICT (user_id) DO NOTHING`, params)).affected === 1;
      // One statement: under READ COMMITTED a delete-then-insert would let a parallel restart's
      // committed row look like an active credential. The upsert replaces every column of a pending
      // row, as delete and insert would (the old secret dies), and leaves an active one untouched,
      // which affects no row; so is a pending row other than the one the caller read.
      const { affected } = await this.db.run(
        `${insert}
        ON CONFLICT (user_id) DO UPDATE SET
          id = EXCLUDED.id,
          encrypted_secret = EXCLUDED.encrypted_secret,
          key_id = EXCLUDED.key_id,
          pending_expires_at = EXCLUDED.pending_expires_at,
          last_used_step = EXCLUDED.last_used_step,
          failure_count = EXCLUDED.failure_count,
          backoff_until = EXCLUDED.backoff_until,
          locked_at = EXCLUDED.locked_at,
          created_at = EXCLUDED.created_at,
          confirmed_at = EXCLUDED.confirmed_at,
          updated_at = EXCLUDED.updated_at
        WHERE ${this.credentials}.state = 'pending'${replaces === undefined ? '' : ` AND ${this.credentials}.id = :replaces`}`,
        { ...params, replaces },
      );
      return affected === 1;
    }
    return this.db.transaction(async (tx) => {
      // Restarting enrollment kills the old pending secret (only the one read, when given); an
      // active credential is never touched. A row left in place makes the insert fail: false.
      if (replaces !== null)
        await tx.run(
          `
          DELETE FROM ${this.credentials}
          WHERE user_id = :userId AND state = 'pending'${replaces === undefined ? '' : ' AND id = :replaces'}`,
          { userId: input.userId, replaces },
        );
      try {
        await tx.run(insert, params);
      } catch (error) {
        // The unique user_id index refused it: an active credential, or a parallel start's.
        if (isDuplicateKey(error)) throw new Rollback(false);
        throw error;
      }
      return true;
    });
  }

  async activate(input: ActivateInput): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { affected } = await tx.run(
        `
          UPDATE ${this.credentials}
          SET state = 'active', last_used_step = :step, confirmed_at = :now, pending_expires_at = NULL,
            failure_count = 0, backoff_until = NULL, locked_at = NULL, updated_at = :now
          WHERE id = :id AND state = 'pending' AND pending_expires_at > :now`,
        { id: input.credentialId, step: input.step, now: input.now },
      );
      if (affected !== 1) throw new Rollback(false);
      // Same transaction: 2FA never turns on without its backup codes, even if the process dies here.
      await this.writeBackupCodes(tx, input.credentialId, input.backupCodeHashes, input.now);
      return true;
    });
  }

  async useStep(input: UseStepInput): Promise<boolean> {
    // S12: one conditional update; of N parallel requests for one step, exactly one changes the row.
    // S16: a failure counted by a parallel guess since the read (failure_count moved) voids this success.
    const { affected } = await this.db.run(
      `
        UPDATE ${this.credentials}
        SET last_used_step = :step, failure_count = 0, backoff_until = NULL, updated_at = :now
        WHERE id = :id
          AND state = 'active'
          AND locked_at IS NULL
          AND (backoff_until IS NULL OR backoff_until <= :now)
          AND failure_count = :expectedFailureCount
          AND (last_used_step IS NULL OR last_used_step < :step)`,
      { id: input.credentialId, step: input.step, expectedFailureCount: input.expectedFailureCount, now: input.now },
    );
    return affected === 1;
  }

  async listUnusedBackupCodeHashes(credentialId: string): Promise<string[]> {
    const { rows } = await this.db.run(
      `
        SELECT hash
        FROM ${this.backupCodes}
        WHERE credential_id = :credentialId AND used_at IS NULL`,
      { credentialId },
    );
    return rows.map((row) => String(row.hash));
  }

  async consumeBackupCode(input: ConsumeBackupCodeInput): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The credential row is locked first, as in every transaction here, so they cannot deadlock
      // on lock order. S16: like useStep, only an active, unlocked credential out of backoff whose
      // failure count has not moved since the read; the row lock makes a lock or failure recorded
      // by a parallel attempt during hashing hold. The reset is undone below if no code was consumed.
      const credential = await tx.run(
        `
          UPDATE ${this.credentials}
          SET failure_count = 0, backoff_until = NULL, updated_at = :now
          WHERE id = :id
            AND state = 'active'
            AND locked_at IS NULL
            AND (backoff_until IS NULL OR backoff_until <= :now)
            AND failure_count = :expectedFailureCount`,
        { id: input.credentialId, expectedFailureCount: input.expectedFailureCount, now: input.now },
      );
      if (credential.affected !== 1) throw new Rollback(false);
      // S19: `used_at IS NULL` makes this succeed once per code, whatever the concurrency.
      const code = await tx.run(
        `
          UPDATE ${this.backupCodes}
          SET used_at = :now
          WHERE credential_id = :id AND hash = :hash AND used_at IS NULL`,
        { id: input.credentialId, hash: input.hash, now: input.now },
      );
      if (code.affected !== 1) throw new Rollback(false);
      if (input.replaceWith) {
        await this.deleteBackupCodes(tx, input.credentialId);
        await this.writeBackupCodes(tx, input.credentialId, input.replaceWith, input.now);
      }
      return true;
    });
  }

  async replaceBackupCodes(input: ReplaceBackupCodesInput): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locks the active credential row first; a disable or a restart since the caller's read leaves
      // no active row, and then no code is written.
      const credential = await tx.run(
        `
          UPDATE ${this.credentials}
          SET updated_at = :now
          WHERE id = :id AND state = 'active'`,
        { id: input.credentialId, now: input.now },
      );
      if (credential.affected !== 1) throw new Rollback(false);
      await this.deleteBackupCodes(tx, input.credentialId);
      await this.writeBackupCodes(tx, input.credentialId, input.hashes, input.now);
      return true;
    });
  }

  async recordFailure(input: RecordFailureInput): Promise<FailureState | null> {
    return this.countFailure(input, '');
  }

  async chargeAttempt(input: ChargeAttemptInput): Promise<FailureState | null> {
    // S29: counted before the password is checked, and only while open: the row lock queues parallel
    // charges, and the one whose decision starts a backoff or a lock refuses every later one.
    const open = `
            AND state = 'active'
            AND locked_at IS NULL
            AND (backoff_until IS NULL OR backoff_until <= :now)`;
    return this.countFailure(input, open);
  }

  async acceptChargedAttempt(input: AcceptChargedAttemptInput): Promise<boolean> {
    // S29: a charge or failure counted since this attempt's charge moved failure_count and voids it.
    const { affected } = await this.db.run(
      `
        UPDATE ${this.credentials}
        SET failure_count = 0, backoff_until = NULL, locked_at = NULL, updated_at = :now
        WHERE id = :id AND state = 'active' AND failure_count = :charged`,
      { id: input.credentialId, charged: input.chargedFailureCount, now: input.now },
    );
    return affected === 1;
  }

  /** One counted failure on the credential, if it exists and meets `condition`; otherwise null, and nothing changes. */
  private async countFailure(input: RecordFailureInput, condition: string): Promise<FailureState | null> {
    return this.db.transaction(async (tx) => {
      // S16: the increment happens in SQL and holds the row lock until commit, so parallel failures
      // queue up here and each reads back its own count: none is lost.
      const bumped = await tx.run(
        `
          UPDATE ${this.credentials}
          SET failure_count = failure_count + 1, updated_at = :now
          WHERE id = :id${condition}`,
        { id: input.credentialId, now: input.now },
      );
      if (bumped.affected !== 1) throw new Rollback<FailureState | null>(null);
      const { rows } = await tx.run(
        `
          SELECT ${CREDENTIAL_COLUMNS}
          FROM ${this.credentials}
          WHERE id = :id`,
        { id: input.credentialId },
      );
      const current = this.toRecord(rows[0]);
      const decision = input.decide(current.failureCount);
      const lockedAt = current.lockedAt ?? (decision.lock ? input.now : null);
      await tx.run(
        `
          UPDATE ${this.credentials}
          SET backoff_until = :backoffUntil, locked_at = :lockedAt
          WHERE id = :id`,
        { id: input.credentialId, backoffUntil: decision.backoffUntil, lockedAt },
      );
      return { failureCount: current.failureCount, backoffUntil: decision.backoffUntil, lockedAt };
    });
  }

  async resetFailures(credentialId: string, now: Date): Promise<boolean> {
    const { affected } = await this.db.run(
      `
        UPDATE ${this.credentials}
        SET failure_count = 0, backoff_until = NULL, locked_at = NULL, updated_at = :now
        WHERE id = :id`,
      { id: credentialId, now },
    );
    return affected === 1;
  }

  async updateSecret(input: UpdateSecretInput): Promise<boolean> {
    // Conditional on the old ciphertext, so a re-enrollment or another rotation run in between wins.
    const { affected } = await this.db.run(
      `
        UPDATE ${this.credentials}
        SET encrypted_secret = :encryptedSecret, key_id = :keyId, updated_at = :now
        WHERE id = :id AND encrypted_secret = :expected`,
      {
        id: input.credentialId,
        expected: input.expectedEncryptedSecret,
        encryptedSecret: input.encryptedSecret,
        keyId: input.keyId,
        now: input.now,
      },
    );
    return affected === 1;
  }

  async deleteByUserId(userId: string): Promise<boolean> {
    // ON DELETE CASCADE removes the backup codes and the trusted devices (S34) in the same statement.
    const { affected } = await this.db.run(
      `
        DELETE FROM ${this.credentials}
        WHERE user_id = :userId`,
      { userId },
    );
    return affected === 1;
  }

  async findEnrollmentDeadline(userId: string): Promise<EnrollmentDeadlineRecord | null> {
    const { rows } = await this.db.run(
      `
        SELECT user_id, deadline, created_at, reminded_at
        FROM ${this.deadlines}
        WHERE user_id = :userId`,
      { userId },
    );
    return rows.length === 0 ? null : this.toDeadline(rows[0]);
  }

  async createEnrollmentDeadline(input: EnrollmentDeadlineInput): Promise<CreatedEnrollmentDeadline> {
    // S36: one insert the primary key refuses for a second deadline; an existing one never moves.
    const created = await this.insertDeadline(input);
    const record = await this.findEnrollmentDeadline(input.userId);
    if (!record) throw new Error('two_factor_enrollment_deadlines lost a row it just stored or found.');
    return { record, created };
  }

  async shortenEnrollmentDeadline(input: EnrollmentDeadlineInput): Promise<EnrollmentDeadlineRecord> {
    if (!(await this.insertDeadline(input)))
      await this.db.run(
        `
          UPDATE ${this.deadlines}
          SET deadline = :deadline
          WHERE user_id = :userId AND deadline > :deadline`,
        { userId: input.userId, deadline: input.deadline },
      );
    const record = await this.findEnrollmentDeadline(input.userId);
    if (!record) throw new Error('two_factor_enrollment_deadlines lost a row it just stored or found.');
    return record;
  }

  async claimEnrollmentReminder(input: { userId: string; now: Date }): Promise<boolean> {
    const { affected } = await this.db.run(
      `
        UPDATE ${this.deadlines}
        SET reminded_at = :now
        WHERE user_id = :userId AND reminded_at IS NULL`,
      input,
    );
    return affected === 1;
  }

  /** Inserts the deadline unless the user has one; answers whether this call stored it. */
  private async insertDeadline(input: EnrollmentDeadlineInput): Promise<boolean> {
    const verb = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO', postgres: 'INSERT INTO' }[
      this.db.dialect
    ];
    const onConflict = this.db.dialect === 'postgres' ? 'ON CONFLICT (user_id) DO NOTHING' : '';
    const { affected } = await this.db.run(
      `
        ${verb} ${this.deadlines} (user_id, deadline, created_at, reminded_at)
        VALUES (:userId, :deadline, :now, NULL)
        ${onConflict}`,
      { userId: input.userId, deadline: input.deadline, now: input.now },
    );
    return affected === 1;
  }

  private get deadlines(): string {
    return this.db.table(twoFactorEnrollmentDeadlineSchema);
  }

  private toDeadline(row: Record<string, unknown>): EnrollmentDeadlineRecord {
    const entity = this.db.hydrate<TwoFactorEnrollmentDeadlineEntity>(twoFactorEnrollmentDeadlineSchema, row);
    return {
      userId: entity.userId,
      deadline: entity.deadline,
      createdAt: entity.createdAt,
      remindedAt: entity.remindedAt,
    };
  }

  async createTrustedDevice(input: CreateTrustedDeviceInput): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locks the user's active credential row first, as every transaction here does: a disable or
      // a re-enrollment since the caller's read leaves no such row, and then nothing is trusted.
      // Parallel creations for one user queue on this lock, so the cap below holds.
      const credential = await tx.run(
        `
          UPDATE ${this.credentials}
          SET updated_at = :now
          WHERE id = :id AND user_id = :userId AND state = 'active'`,
        { id: input.credentialId, userId: input.userId, now: input.now },
      );
      if (credential.affected !== 1) throw new Rollback(false);
      await tx.run(
        `
          DELETE FROM ${this.trustedDevices}
          WHERE user_id = :userId AND expires_at <= :now`,
        { userId: input.userId, now: input.now },
      );
      await tx.run(
        `
          INSERT INTO ${this.trustedDevices} (${DEVICE_COLUMNS})
          VALUES (:id, :userId, :credentialId, :tokenHash, :label, :now, NULL, :expiresAt)`,
        {
          id: input.id,
          userId: input.userId,
          credentialId: input.credentialId,
          tokenHash: input.tokenHash,
          label: input.label,
          now: input.now,
          expiresAt: input.expiresAt,
        },
      );
      // At most maxPerUser: the new device stays, the oldest of the others go.
      const { rows } = await tx.run(
        `
          SELECT id
          FROM ${this.trustedDevices}
          WHERE user_id = :userId AND id <> :id
          ORDER BY created_at DESC, id DESC`,
        { userId: input.userId, id: input.id },
      );
      const evicted = rows.slice(Math.max(0, input.maxPerUser - 1)).map((row) => String(row.id));
      if (evicted.length > 0) {
        const params: Record<string, unknown> = {};
        const names = evicted.map((id, index) => {
          params[`id${index}`] = id;
          return `:id${index}`;
        });
        await tx.run(
          `
            DELETE FROM ${this.trustedDevices}
            WHERE id IN (${names.join(', ')})`,
          params,
        );
      }
      return true;
    });
  }

  async findTrustedDevice(input: FindTrustedDeviceInput): Promise<TrustedDeviceRecord | null> {
    // One read on the unique token_hash index; the binding and expiry are part of the same WHERE (S34).
    const { rows } = await this.db.run(
      `
        SELECT ${DEVICE_COLUMNS}
        FROM ${this.trustedDevices}
        WHERE token_hash = :tokenHash
          AND user_id = :userId
          AND credential_id = :credentialId
          AND expires_at > :now`,
      { tokenHash: input.tokenHash, userId: input.userId, credentialId: input.credentialId, now: input.now },
    );
    return rows.length === 0 ? null : this.toDevice(rows[0]);
  }

  async touchTrustedDevice(input: TouchTrustedDeviceInput): Promise<boolean> {
    const { affected } = await this.db.run(
      `
        UPDATE ${this.trustedDevices}
        SET last_used_at = :now
        WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :before)`,
      { id: input.id, now: input.now, before: input.lastUsedBefore },
    );
    return affected === 1;
  }

  async listTrustedDevices(userId: string, now: Date): Promise<TrustedDeviceRecord[]> {
    const { rows } = await this.db.run(
      `
        SELECT ${DEVICE_COLUMNS}
        FROM ${this.trustedDevices}
        WHERE user_id = :userId AND expires_at > :now
        ORDER BY created_at DESC, id DESC`,
      { userId, now },
    );
    return rows.map((row) => this.toDevice(row));
  }

  async deleteTrustedDevice(userId: string, deviceId: string): Promise<boolean> {
    const { affected } = await this.db.run(
      `
        DELETE FROM ${this.trustedDevices}
        WHERE id = :id AND user_id = :userId`,
      { id: deviceId, userId },
    );
    return affected === 1;
  }

  async deleteTrustedDevices(userId: string): Promise<number> {
    const { affected } = await this.db.run(
      `
        DELETE FROM ${this.trustedDevices}
        WHERE user_id = :userId`,
      { userId },
    );
    return affected;
  }

  private get trustedDevices(): string {
    return this.db.table(twoFactorTrustedDeviceSchema);
  }

  private toDevice(row: Record<string, unknown>): TrustedDeviceRecord {
    const entity = this.db.hydrate<TwoFactorTrustedDeviceEntity>(twoFactorTrustedDeviceSchema, row);
    return {
      id: entity.id,
      userId: entity.userId,
      credentialId: entity.credentialId,
      tokenHash: entity.tokenHash,
      label: entity.label,
      createdAt: entity.createdAt,
      lastUsedAt: entity.lastUsedAt,
      expiresAt: entity.expiresAt,
    };
  }

  private get credentials(): string {
    return this.db.table(twoFactorCredentialSchema);
  }

  private get backupCodes(): string {
    return this.db.table(twoFactorBackupCodeSchema);
  }

  private async deleteBackupCodes(tx: SqlExecutor, credentialId: string): Promise<void> {
    await tx.run(
      `
        DELETE FROM ${this.backupCodes}
        WHERE credential_id = :id`,
      { id: credentialId },
    );
  }

  private async writeBackupCodes(
    tx: SqlExecutor,
    credentialId: string,
    hashes: readonly string[],
    now: Date,
  ): Promise<void> {
    if (hashes.length === 0) return;
    const params: Record<string, unknown> = { credentialId, now };
    const rows = hashes.map((hash, index) => {
      params[`id${index}`] = randomUUID();
      params[`hash${index}`] = hash;
      return `(:id${index}, :credentialId, :hash${index}, NULL, :now)`;
    });
    await tx.run(
      `
        INSERT INTO ${this.backupCodes} (id, credential_id, hash, used_at, created_at)
        VALUES ${rows.join(', ')}`,
      params,
    );
  }

  private toRecord(row: Record<string, unknown>): CredentialRecord {
    const entity = this.db.hydrate<TwoFactorCredentialEntity>(twoFactorCredentialSchema, row);
    return {
      id: entity.id,
      userId: entity.userId,
      state: entity.state,
      encryptedSecret: entity.encryptedSecret,
      keyId: entity.keyId,
      pendingExpiresAt: entity.pendingExpiresAt,
      lastUsedStep: entity.lastUsedStep,
      failureCount: Number(entity.failureCount),
      backoffUntil: entity.backoffUntil,
      lockedAt: entity.lockedAt,
      createdAt: entity.createdAt,
      confirmedAt: entity.confirmedAt,
      updatedAt: entity.updatedAt,
    };
  }
}
