/**
 * The initial schema as a TypeORM migration, so hosts never need `synchronize`. One class serves
 * MySQL/MariaDB, SQLite and PostgreSQL: it branches on the connection's driver type. The schema is
 * exactly what TypeORM's schema builder derives from the entities, so a later `migration:generate`
 * finds nothing. Installed databases have run it: what it creates must never change. On a database
 * that `synchronize: true` already built from the entities it only records itself.
 */
import { ConfigurationError } from '@secondfactor/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  migrationContext,
  MYSQL_TABLE_OPTIONS,
  type MigrationContext,
  type StatementsByDialect,
} from './migration-context';

function mysqlUp({ tables: t, quote }: MigrationContext): string[] {
  return [
    `
      CREATE TABLE ${t.credentials} (
        id varchar(36) NOT NULL,
        user_id varchar(255) NOT NULL,
        state varchar(16) NOT NULL,
        encrypted_secret varchar(512) NOT NULL,
        key_id varchar(32) NOT NULL,
        pending_expires_at datetime(3) NULL,
        last_used_step bigint NULL,
        failure_count int NOT NULL DEFAULT 0,
        backoff_until datetime(3) NULL,
        locked_at datetime(3) NULL,
        created_at datetime(3) NOT NULL,
        confirmed_at datetime(3) NULL,
        updated_at datetime(3) NOT NULL,
        UNIQUE INDEX ${quote('UQ_two_factor_credentials_user_id')} (user_id),
        PRIMARY KEY (id)
      ) ${MYSQL_TABLE_OPTIONS}`,
    `
      CREATE TABLE ${t.backupCodes} (
        id varchar(36) NOT NULL,
        credential_id varchar(36) NOT NULL,
        hash varchar(255) NOT NULL,
        used_at datetime(3) NULL,
        created_at datetime(3) NOT NULL,
        INDEX ${quote('IDX_two_factor_backup_codes_credential_id')} (credential_id),
        PRIMARY KEY (id),
        CONSTRAINT ${quote('FK_two_factor_backup_codes_credential_id')} FOREIGN KEY (credential_id)
          REFERENCES ${t.credentials} (id) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ${MYSQL_TABLE_OPTIONS}`,
    `
      CREATE TABLE ${t.auditEvents} (
        id varchar(36) NOT NULL,
        type varchar(64) NOT NULL,
        user_id varchar(255) NOT NULL,
        actor_id varchar(255) NULL,
        method varchar(16) NULL,
        reason varchar(64) NULL,
        failure_count int NULL,
        retry_after_seconds int NULL,
        ip varchar(64) NULL,
        user_agent varchar(512) NULL,
        occurred_at datetime(3) NOT NULL,
        INDEX ${quote('IDX_two_factor_audit_events_user_id_occurred_at')} (user_id, occurred_at),
        PRIMARY KEY (id)
      ) ${MYSQL_TABLE_OPTIONS}`,
  ];
}

function sqliteUp({ tables: t, quote }: MigrationContext): string[] {
  // TypeORM reads a SQLite foreign key's name back from this text: keep its clause on one line.
  const fk = quote('FK_two_factor_backup_codes_credential_id');
  return [
    `
      CREATE TABLE ${t.credentials} (
        "id" varchar(36) PRIMARY KEY NOT NULL,
        "user_id" varchar(255) NOT NULL,
        "state" varchar(16) NOT NULL,
        "encrypted_secret" varchar(512) NOT NULL,
        "key_id" varchar(32) NOT NULL,
        "pending_expires_at" datetime(3),
        "last_used_step" bigint,
        "failure_count" integer NOT NULL DEFAULT (0),
        "backoff_until" datetime(3),
        "locked_at" datetime(3),
        "created_at" datetime(3) NOT NULL,
        "confirmed_at" datetime(3),
        "updated_at" datetime(3) NOT NULL
      )`,
    `
      CREATE UNIQUE INDEX ${quote('UQ_two_factor_credentials_user_id')}
        ON ${t.credentials} ("user_id")`,
    `
      CREATE TABLE ${t.backupCodes} (
        "id" varchar(36) PRIMARY KEY NOT NULL,
        "credential_id" varchar(36) NOT NULL,
        "hash" varchar(255) NOT NULL,
        "used_at" datetime(3),
        "created_at" datetime(3) NOT NULL,
        CONSTRAINT ${fk} FOREIGN KEY ("credential_id") REFERENCES ${t.credentials} ("id")
          ON DELETE CASCADE ON UPDATE NO ACTION
      )`,
    `
      CREATE INDEX ${quote('IDX_two_factor_backup_codes_credential_id')}
        ON ${t.backupCodes} ("credential_id")`,
    `
      CREATE TABLE ${t.auditEvents} (
        "id" varchar(36) PRIMARY KEY NOT NULL,
        "type" varchar(64) NOT NULL,
        "user_id" varchar(255) NOT NULL,
        "actor_id" varchar(255),
        "method" varchar(16),
        "reason" varchar(64),
        "failure_count" integer,
        "retry_after_seconds" integer,
        "ip" varchar(64),
        "user_agent" varchar(512),
        "occurred_at" datetime(3) NOT NULL
      )`,
    `
      CREATE INDEX ${quote('IDX_two_factor_audit_events_user_id_occurred_at')}
        ON ${t.auditEvents} ("user_id", "occurred_at")`,
  ];
}

/**
 * PostgreSQL: `timestamp(3)` is what TypeORM maps the entities' `Date` columns to there; every date
 * is written from the service's clock, never by the database.
 */
function postgresUp({ tables: t, quote }: MigrationContext): string[] {
  return [
    `
      CREATE TABLE ${t.credentials} (
        id varchar(36) NOT NULL,
        user_id varchar(255) NOT NULL,
        state varchar(16) NOT NULL,
        encrypted_secret varchar(512) NOT NULL,
        key_id varchar(32) NOT NULL,
        pending_expires_at timestamp(3) NULL,
        last_used_step bigint NULL,
        failure_count integer NOT NULL DEFAULT 0,
        backoff_until timestamp(3) NULL,
        locked_at timestamp(3) NULL,
        created_at timestamp(3) NOT NULL,
        confirmed_at timestamp(3) NULL,
        updated_at timestamp(3) NOT NULL,
        CONSTRAINT ${quote('PK_two_factor_credentials')} PRIMARY KEY (id)
      )`,
    `
      CREATE UNIQUE INDEX ${quote('UQ_two_factor_credentials_user_id')}
        ON ${t.credentials} (user_id)`,
    `
      CREATE TABLE ${t.backupCodes} (
        id varchar(36) NOT NULL,
        credential_id varchar(36) NOT NULL,
        hash varchar(255) NOT NULL,
        used_at timestamp(3) NULL,
        created_at timestamp(3) NOT NULL,
        CONSTRAINT ${quote('PK_two_factor_backup_codes')} PRIMARY KEY (id),
        CONSTRAINT ${quote('FK_two_factor_backup_codes_credential_id')} FOREIGN KEY (credential_id)
          REFERENCES ${t.credentials} (id) ON DELETE CASCADE ON UPDATE NO ACTION
      )`,
    `
      CREATE INDEX ${quote('IDX_two_factor_backup_codes_credential_id')}
        ON ${t.backupCodes} (credential_id)`,
    `
      CREATE TABLE ${t.auditEvents} (
        id varchar(36) NOT NULL,
        type varchar(64) NOT NULL,
        user_id varchar(255) NOT NULL,
        actor_id varchar(255) NULL,
        method varchar(16) NULL,
        reason varchar(64) NULL,
        failure_count integer NULL,
        retry_after_seconds integer NULL,
        ip varchar(64) NULL,
        user_agent varchar(512) NULL,
        occurred_at timestamp(3) NOT NULL,
        CONSTRAINT ${quote('PK_two_factor_audit_events')} PRIMARY KEY (id)
      )`,
    `
      CREATE INDEX ${quote('IDX_two_factor_audit_events_user_id_occurred_at')}
        ON ${t.auditEvents} (user_id, occurred_at)`,
  ];
}

const UP: StatementsByDialect = { mysql: mysqlUp, sqlite: sqliteUp, postgres: postgresUp };

/**
 * Creates `two_factor_credentials`, `two_factor_backup_codes` and `two_factor_audit_events`
 * on MySQL/MariaDB (mysql2), SQLite (better-sqlite3) or PostgreSQL (pg). `down` drops them.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { CreateTwoFactorTables1764288000000, twoFactorEntities } from '@secondfactor/typeorm';
 * const dataSource = new DataSource({
 *   type: 'postgres',
 *   url: process.env.DATABASE_URL,
 *   entities: [...twoFactorEntities],
 *   migrations: [CreateTwoFactorTables1764288000000],
 * });
 * await dataSource.initialize();
 * await dataSource.runMigrations();
 * ```
 */
export class CreateTwoFactorTables1764288000000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'CreateTwoFactorTables1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const context = migrationContext(queryRunner);
    // Its own three tables only: later migrations add the others.
    const { credentials, backupCodes, auditEvents } = context.tablePaths;
    const paths = [credentials, backupCodes, auditEvents];
    const present: string[] = [];
    for (const path of paths) if (await queryRunner.hasTable(path)) present.push(path);
    // `synchronize: true` created the same tables from the entities: nothing to do.
    if (present.length === paths.length) return;
    if (present.length > 0)
      throw new ConfigurationError(
        `Only some two-factor tables exist (${present.join(', ')}): restore them all, or drop them and migrate again.`,
      );
    for (const sql of UP[context.dialect](context)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { tables: t } = migrationContext(queryRunner);
    // Children first: the backup codes reference the credentials.
    for (const table of [t.auditEvents, t.backupCodes, t.credentials]) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
