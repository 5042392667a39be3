/**
 * Trusted devices (S34): the `two_factor_trusted_devices` table, as a migration of its own so that
 * databases that ran the earlier ones get it too. One class serves MySQL/MariaDB, SQLite and
 * PostgreSQL, and creates exactly what TypeORM's schema builder derives from the entity. On a
 * database that `synchronize: true` already built it only records itself.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createTableUnlessPresent,
  dropTable,
  MYSQL_TABLE_OPTIONS,
  type MigrationContext,
  type StatementsByDialect,
} from './migration-context';

const UNIQUE_HASH = 'UQ_two_factor_trusted_devices_token_hash';
const BY_USER = 'IDX_two_factor_trusted_devices_user_id_created_at';
const BY_CREDENTIAL = 'IDX_two_factor_trusted_devices_credential_id';
const FOREIGN_KEY = 'FK_two_factor_trusted_devices_credential_id';

function mysqlUp({ tables: t, quote }: MigrationContext): string[] {
  return [
    `
      CREATE TABLE ${t.trustedDevices} (
        id varchar(36) NOT NULL,
        user_id varchar(255) NOT NULL,
        credential_id varchar(36) NOT NULL,
        token_hash varchar(64) NOT NULL,
        label varchar(100) NOT NULL,
        created_at datetime(3) NOT NULL,
        last_used_at datetime(3) NULL,
        expires_at datetime(3) NOT NULL,
        UNIQUE INDEX ${quote(UNIQUE_HASH)} (token_hash),
        INDEX ${quote(BY_USER)} (user_id, created_at),
        INDEX ${quote(BY_CREDENTIAL)} (credential_id),
        PRIMARY KEY (id),
        CONSTRAINT ${quote(FOREIGN_KEY)} FOREIGN KEY (credential_id)
          REFERENCES ${t.credentials} (id) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ${MYSQL_TABLE_OPTIONS}`,
  ];
}

function sqliteUp({ tables: t, quote }: MigrationContext): string[] {
  // TypeORM reads a SQLite foreign key's name back from this text: keep its clause on one line.
  return [
    `
      CREATE TABLE ${t.trustedDevices} (
        "id" varchar(36) PRIMARY KEY NOT NULL,
        "user_id" varchar(255) NOT NULL,
        "credential_id" varchar(36) NOT NULL,
        "token_hash" varchar(64) NOT NULL,
        "label" varchar(100) NOT NULL,
        "created_at" datetime(3) NOT NULL,
        "last_used_at" datetime(3),
        "expires_at" datetime(3) NOT NULL,
        CONSTRAINT ${quote(FOREIGN_KEY)} FOREIGN KEY ("credential_id") REFERENCES ${t.credentials} ("id")
          ON DELETE CASCADE ON UPDATE NO ACTION
      )`,
    `CREATE UNIQUE INDEX ${quote(UNIQUE_HASH)} ON ${t.trustedDevices} ("token_hash")`,
    `CREATE INDEX ${quote(BY_USER)} ON ${t.trustedDevices} ("user_id", "created_at")`,
    `CREATE INDEX ${quote(BY_CREDENTIAL)} ON ${t.trustedDevices} ("credential_id")`,
  ];
}

function postgresUp({ tables: t, quote }: MigrationContext): string[] {
  return [
    `
      CREATE TABLE ${t.trustedDevices} (
        id varchar(36) NOT NULL,
        user_id varchar(255) NOT NULL,
        credential_id varchar(36) NOT NULL,
        token_hash varchar(64) NOT NULL,
        label varchar(100) NOT NULL,
        created_at timestamp(3) NOT NULL,
        last_used_at timestamp(3) NULL,
        expires_at timestamp(3) NOT NULL,
        CONSTRAINT ${quote('PK_two_factor_trusted_devices')} PRIMARY KEY (id),
        CONSTRAINT ${quote(FOREIGN_KEY)} FOREIGN KEY (credential_id)
          REFERENCES ${t.credentials} (id) ON DELETE CASCADE ON UPDATE NO ACTION
      )`,
    `CREATE UNIQUE INDEX ${quote(UNIQUE_HASH)} ON ${t.trustedDevices} (token_hash)`,
    `CREATE INDEX ${quote(BY_USER)} ON ${t.trustedDevices} (user_id, created_at)`,
    `CREATE INDEX ${quote(BY_CREDENTIAL)} ON ${t.trustedDevices} (credential_id)`,
  ];
}

const UP: StatementsByDialect = { mysql: mysqlUp, sqlite: sqliteUp, postgres: postgresUp };

/**
 * Creates `two_factor_trusted_devices` (S34) on MySQL/MariaDB, SQLite or PostgreSQL, after
 * `CreateTwoFactorTables1764288000000`. `down` drops it.
 *
 * @example
 * ```ts
 * import { twoFactorMigrations } from '@secondfactor/typeorm';
 * // Listed after the earlier migrations; runMigrations() applies what is missing.
 * const dataSource = new DataSource({ ...options, migrations: [...twoFactorMigrations] });
 * await dataSource.runMigrations();
 * ```
 */
export class CreateTwoFactorTrustedDevices1796515200000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'CreateTwoFactorTrustedDevices1796515200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTableUnlessPresent(queryRunner, 'trustedDevices', UP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTable(queryRunner, 'trustedDevices');
  }
}
