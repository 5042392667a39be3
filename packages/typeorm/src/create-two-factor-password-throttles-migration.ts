/**
 * The password step's throttle (S32): `two_factor_password_throttles`, one row per account key or
 * client address. A migration of its own, because databases that ran the earlier ones must get it
 * too. `synchronize: true` creates it from the entity; the migration then finds it and only records
 * itself.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationContext, type MigrationContext } from './migration-context';

function createTable({ dialect, tables, quote }: MigrationContext): string {
  const t = tables.passwordThrottles;
  if (dialect === 'mysql')
    return `
      CREATE TABLE ${t} (
        throttle_key varchar(100) NOT NULL,
        failures int NOT NULL,
        next_attempt_at datetime(3) NULL,
        window_started_at datetime(3) NULL,
        window_count int NOT NULL,
        PRIMARY KEY (throttle_key)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;
  if (dialect === 'sqlite')
    return `
      CREATE TABLE ${t} (
        "throttle_key" varchar(100) PRIMARY KEY NOT NULL,
        "failures" integer NOT NULL,
        "next_attempt_at" datetime(3),
        "window_started_at" datetime(3),
        "window_count" integer NOT NULL
      )`;
  return `
      CREATE TABLE ${t} (
        throttle_key varchar(100) NOT NULL,
        failures integer NOT NULL,
        next_attempt_at timestamp(3) NULL,
        window_started_at timestamp(3) NULL,
        window_count integer NOT NULL,
        CONSTRAINT ${quote('PK_two_factor_password_throttles')} PRIMARY KEY (throttle_key)
      )`;
}

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
    const context = migrationContext(queryRunner);
    if (await queryRunner.hasTable(context.tablePaths.passwordThrottles)) return;
    await queryRunner.query(createTable(context));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { tables } = migrationContext(queryRunner);
    await queryRunner.query(`DROP TABLE ${tables.passwordThrottles}`);
  }
}
