/**
 * The password step's throttle (S32): `two_factor_password_throttles`, one row per account key or
 * client address. A migration of its own, because databases that ran the earlier ones must get it
 * too. `synchronize: true` creates it from the entity; the migration then finds it and only records
 * itself.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createTableUnlessPresent,
  dropTable,
  MYSQL_TABLE_OPTIONS,
  type StatementsByDialect,
} from './migration-context';

const CREATE_TABLE: StatementsByDialect = {
  mysql: ({ tables: { passwordThrottles: t } }) => [
    `
      CREATE TABLE ${t} (
        throttle_key varchar(100) NOT NULL,
        failures int NOT NULL,
        next_attempt_at datetime(3) NULL,
        window_started_at datetime(3) NULL,
        window_count int NOT NULL,
        PRIMARY KEY (throttle_key)
      ) ${MYSQL_TABLE_OPTIONS}`,
  ],
  sqlite: ({ tables: { passwordThrottles: t } }) => [
    `
      CREATE TABLE ${t} (
        "throttle_key" varchar(100) PRIMARY KEY NOT NULL,
        "failures" integer NOT NULL,
        "next_attempt_at" datetime(3),
        "window_started_at" datetime(3),
        "window_count" integer NOT NULL
      )`,
  ],
  postgres: ({ tables: { passwordThrottles: t }, quote }) => [
    `
      CREATE TABLE ${t} (
        throttle_key varchar(100) NOT NULL,
        failures integer NOT NULL,
        next_attempt_at timestamp(3) NULL,
        window_started_at timestamp(3) NULL,
        window_count integer NOT NULL,
        CONSTRAINT ${quote('PK_two_factor_password_throttles')} PRIMARY KEY (throttle_key)
      )`,
  ],
};

/**
 * Creates `two_factor_password_throttles` (S32) on MySQL/MariaDB, SQLite and PostgreSQL (utf8mb4_bin
 * on MySQL, so keys compare byte for byte). `down` drops it.
 *
 * @example
 * ```ts
 * import { twoFactorMigrations } from '@secondfactor/typeorm';
 * // Listed after the earlier migrations; runMigrations() applies what is missing.
 * const dataSource = new DataSource({ ...options, migrations: [...twoFactorMigrations] });
 * await dataSource.runMigrations();
 * ```
 */
export class CreateTwoFactorPasswordThrottles1796688000000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'CreateTwoFactorPasswordThrottles1796688000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTableUnlessPresent(queryRunner, 'passwordThrottles', CREATE_TABLE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTable(queryRunner, 'passwordThrottles');
  }
}
