/**
 * The 2FA policy (S36): `two_factor_enrollment_deadlines`, one row per required user with the grace
 * deadline stored when first computed. A migration of its own, because databases that ran the
 * first ones must get it too. `synchronize: true` creates it from the entity; the migration then
 * finds it and only records itself.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createTableUnlessPresent,
  dropTable,
  MYSQL_TABLE_OPTIONS,
  type StatementsByDialect,
} from './migration-context';

const CREATE_TABLE: StatementsByDialect = {
  mysql: ({ tables: { enrollmentDeadlines: t } }) => [
    `
      CREATE TABLE ${t} (
        user_id varchar(255) NOT NULL,
        deadline datetime(3) NOT NULL,
        created_at datetime(3) NOT NULL,
        reminded_at datetime(3) NULL,
        PRIMARY KEY (user_id)
      ) ${MYSQL_TABLE_OPTIONS}`,
  ],
  sqlite: ({ tables: { enrollmentDeadlines: t } }) => [
    `
      CREATE TABLE ${t} (
        "user_id" varchar(255) PRIMARY KEY NOT NULL,
        "deadline" datetime(3) NOT NULL,
        "created_at" datetime(3) NOT NULL,
        "reminded_at" datetime(3)
      )`,
  ],
  postgres: ({ tables: { enrollmentDeadlines: t }, quote }) => [
    `
      CREATE TABLE ${t} (
        user_id varchar(255) NOT NULL,
        deadline timestamp(3) NOT NULL,
        created_at timestamp(3) NOT NULL,
        reminded_at timestamp(3) NULL,
        CONSTRAINT ${quote('PK_two_factor_enrollment_deadlines')} PRIMARY KEY (user_id)
      )`,
  ],
};

/**
 * Creates `two_factor_enrollment_deadlines` on MySQL/MariaDB, SQLite and PostgreSQL (utf8mb4_bin on
 * MySQL, so user ids compare byte for byte as in the credentials table). `down` drops it.
 *
 * @example
 * ```ts
 * import { twoFactorMigrations } from '@secondfactor/typeorm';
 * // Listed after the earlier migrations; runMigrations() applies what is missing.
 * const dataSource = new DataSource({ ...options, migrations: [...twoFactorMigrations] });
 * await dataSource.runMigrations();
 * ```
 */
export class CreateTwoFactorEnrollmentDeadlines1796601600000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'CreateTwoFactorEnrollmentDeadlines1796601600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTableUnlessPresent(queryRunner, 'enrollmentDeadlines', CREATE_TABLE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTable(queryRunner, 'enrollmentDeadlines');
  }
}
