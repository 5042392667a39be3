/**
 * The password throttle's counts (S32) in `two_factor_password_throttles` over a host's TypeORM
 * DataSource (MySQL/MariaDB, SQLite or PostgreSQL). Every change is one conditional statement
 * checked by affected rows, so instances sharing the database agree and parallel requests count
 * one by one; nothing is read, decided in JS and written back unguarded.
 */
import type {
  AddressAttemptCount,
  CountAddressAttemptInput,
  PasswordAccountState,
  PasswordThrottleStore,
  RecordPasswordFailureInput,
  ResetPasswordFailuresInput,
} from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import { StoreDatabase } from './store-database';
import {
  twoFactorPasswordThrottleSchema,
  type TwoFactorPasswordThrottleEntity,
} from './two-factor-password-throttle-entity';

/** Rounds of a primitive that lost a race to a parallel first insert or window restart. */
const RACE_ROUNDS = 3;

/**
 * A {@link PasswordThrottleStore} for `PasswordThrottle` of `@secondfactor/core`. Register
 * `twoFactorEntities` and run `twoFactorMigrations` on the DataSource first. Database faults become
 * `StoreUnavailableError` (503).
 *
 * @example
 * ```ts
 * import { PasswordThrottle } from '@secondfactor/core';
 * import { TypeOrmPasswordThrottleStore } from '@secondfactor/typeorm';
 * const throttle = new PasswordThrottle(new TypeOrmPasswordThrottleStore(dataSource), {
 *   policy: { addressLimit: Number(process.env.LOGIN_IP_LIMIT ?? 100) },
 * });
 * ```
 */
export class TypeOrmPasswordThrottleStore implements PasswordThrottleStore {
  private readonly db: StoreDatabase;

  constructor(dataSource: DataSource) {
    this.db = new StoreDatabase(dataSource);
  }

  /** See {@link PasswordThrottleStore.countAddressAttempt}. */
  async countAddressAttempt(input: CountAddressAttemptInput): Promise<AddressAttemptCount> {
    const since = new Date(input.now.getTime() - input.windowSeconds * 1000);
    const params = { key: input.key, now: input.now, since, limit: input.limit };
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const counted = await this.db.run(
        `
          UPDATE ${this.table}
          SET window_count = window_count + 1
          WHERE throttle_key = :key AND window_started_at > :since AND window_count < :limit`,
        params,
      );
      if (counted.affected > 0) return { counted: true };
      const row = await this.find(input.key);
      if (!row) {
        if (await this.insertIfAbsent({ key: input.key, failures: 0, windowStartedAt: input.now, windowCount: 1 }))
          return { counted: true };
        continue;
      }
      if (row.windowStartedAt && row.windowStartedAt.getTime() > since.getTime())
        return { counted: false, windowEndsAt: new Date(row.windowStartedAt.getTime() + input.windowSeconds * 1000) };
      // The window is over: exactly one caller starts the next one, the others count in it.
      const restarted = await this.db.run(
        `
          UPDATE ${this.table}
          SET window_started_at = :now, window_count = 1
          WHERE throttle_key = :key AND (window_started_at IS NULL OR window_started_at <= :since)`,
        params,
      );
      if (restarted.affected > 0) return { counted: true };
    }
    // Still racing after every round: refuse for a second rather than count unguarded.
    return { counted: false, windowEndsAt: new Date(input.now.getTime() + 1000) };
  }

  /** See {@link PasswordThrottleStore.readAccount}. */
  async readAccount(key: string): Promise<PasswordAccountState | null> {
    const row = await this.find(key);
    return row ? { failures: row.failures, nextAttemptAt: row.nextAttemptAt } : null;
  }

  /** See {@link PasswordThrottleStore.recordFailure}. */
  async recordFailure(input: RecordPasswordFailureInput): Promise<PasswordAccountState> {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const counted = await this.db.run(
        `
          UPDATE ${this.table}
          SET failures = failures + 1
          WHERE throttle_key = :key`,
        { key: input.key },
      );
      if (
        counted.affected === 0 &&
        !(await this.insertIfAbsent({ key: input.key, failures: 1, windowStartedAt: null, windowCount: 0 }))
      )
        continue;
      const row = await this.find(input.key);
      if (!row) continue;
      const nextAttemptAt = new Date(input.now.getTime() + input.backoffSeconds(row.failures) * 1000);
      // A later failure owns the backoff of its higher count.
      await this.db.run(
        `
          UPDATE ${this.table}
          SET next_attempt_at = :nextAttemptAt
          WHERE throttle_key = :key AND failures = :failures`,
        { key: input.key, failures: row.failures, nextAttemptAt },
      );
      return { failures: row.failures, nextAttemptAt };
    }
    throw new Error('two_factor_password_throttles lost a row it just counted a failure in.');
  }

  /** See {@link PasswordThrottleStore.resetAfterSuccess}. */
  async resetAfterSuccess(input: ResetPasswordFailuresInput): Promise<boolean> {
    if (input.failuresRead > 0)
      await this.db.run(
        `
          UPDATE ${this.table}
          SET failures = 0, next_attempt_at = NULL
          WHERE throttle_key = :key AND failures = :failuresRead`,
        { key: input.key, failuresRead: input.failuresRead },
      );
    const row = await this.find(input.key);
    return !row || row.failures === 0;
  }

  private async find(key: string): Promise<TwoFactorPasswordThrottleEntity | null> {
    const { rows } = await this.db.run(
      `
        SELECT throttle_key, failures, next_attempt_at, window_started_at, window_count
        FROM ${this.table}
        WHERE throttle_key = :key`,
      { key },
    );
    return rows[0] ? this.db.hydrate<TwoFactorPasswordThrottleEntity>(twoFactorPasswordThrottleSchema, rows[0]) : null;
  }

  /** Inserts the row unless the key has one; answers whether this call stored it. */
  private async insertIfAbsent(row: Omit<TwoFactorPasswordThrottleEntity, 'nextAttemptAt'>): Promise<boolean> {
    const verb = { mysql: 'INSERT IGNORE INTO', sqlite: 'INSERT OR IGNORE INTO', postgres: 'INSERT INTO' }[
      this.db.dialect
    ];
    const onConflict = this.db.dialect === 'postgres' ? 'ON CONFLICT (throttle_key) DO NOTHING' : '';
    const { affected } = await this.db.run(
      `
        ${verb} ${this.table} (throttle_key, failures, next_attempt_at, window_started_at, window_count)
        VALUES (:key, :failures, NULL, :windowStartedAt, :windowCount)
        ${onConflict}`,
      row,
    );
    return affected === 1;
  }

  private get table(): string {
    return this.db.table(twoFactorPasswordThrottleSchema);
  }
}
