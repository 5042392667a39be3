/**
 * The initial schema as a TypeORM migration, so hosts never need `synchronize`. One class serves
 * MySQL/MariaDB and SQLite: it branches on the connection's driver type. The SQL is exactly what
 * TypeORM's schema builder derives from the entities, so a later `migration:generate` finds nothing.
 */
import { ConfigurationError } from '@secondfactor/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

type Dialect = 'mysql' | 'sqlite';

const MYSQL_TYPES = new Set(['mysql', 'mariadb']);
const SQLITE_TYPES = new Set(['better-sqlite3', 'sqlite', 'sqljs']);

function dialectOf(queryRunner: QueryRunner): Dialect {
  const type = String(queryRunner.connection.options.type);
  if (MYSQL_TYPES.has(type)) return 'mysql';
  if (SQLITE_TYPES.has(type)) return 'sqlite';
  throw new ConfigurationError(
    `@secondfactor/typeorm has migrations for mysql, mariadb and better-sqlite3, not "${type}".`,
  );
}

function tableNames(queryRunner: QueryRunner): { credentials: string; backupCodes: string; auditEvents: string } {
  // TypeORM prepends `entityPrefix` to every entity table; the migration must create the same names.
  const prefix = queryRunner.connection.options.entityPrefix ?? '';
  return {
    credentials: prefix + TWO_FACTOR_TABLE_NAMES.credentials,
    backupCodes: prefix + TWO_FACTOR_TABLE_NAMES.backupCodes,
    auditEvents: prefix + TWO_FACTOR_TABLE_NAMES.auditEvents,
  };
}

function mysqlUp(t: ReturnType<typeof tableNames>): string[] {
  // utf8mb4_bin: ids, hashes and envelopes compare byte for byte, and any User-Agent fits.
  const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
  return [
    `CREATE TABLE \`${t.credentials}\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(255) NOT NULL, \`state\` varchar(16) NOT NULL, \`encrypted_secret\` varchar(512) NOT NULL, \`key_id\` varchar(32) NOT NULL, \`pending_expires_at\` datetime(3) NULL, \`last_used_step\` bigint NULL, \`failure_count\` int NOT NULL DEFAULT '0', \`backoff_until\` datetime(3) NULL, \`locked_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, \`confirmed_at\` datetime(3) NULL, \`updated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`UQ_two_factor_credentials_user_id\` (\`user_id\`), PRIMARY KEY (\`id\`)) ${table}`,
    `CREATE TABLE \`${t.backupCodes}\` (\`id\` varchar(36) NOT NULL, \`credential_id\` varchar(36) NOT NULL, \`hash\` varchar(255) NOT NULL, \`used_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`IDX_two_factor_backup_codes_credential_id\` (\`credential_id\`), PRIMARY KEY (\`id\`), CONSTRAINT \`FK_two_factor_backup_codes_credential_id\` FOREIGN KEY (\`credential_id\`) REFERENCES \`${t.credentials}\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION) ${table}`,
    `CREATE TABLE \`${t.auditEvents}\` (\`id\` varchar(36) NOT NULL, \`type\` varchar(64) NOT NULL, \`user_id\` varchar(255) NOT NULL, \`actor_id\` varchar(255) NULL, \`method\` varchar(16) NULL, \`reason\` varchar(64) NULL, \`failure_count\` int NULL, \`retry_after_seconds\` int NULL, \`ip\` varchar(64) NULL, \`user_agent\` varchar(512) NULL, \`occurred_at\` datetime(3) NOT NULL, INDEX \`IDX_two_factor_audit_events_user_id_occurred_at\` (\`user_id\`, \`occurred_at\`), PRIMARY KEY (\`id\`)) ${table}`,
  ];
}

function sqliteUp(t: ReturnType<typeof tableNames>): string[] {
  return [
    `CREATE TABLE "${t.credentials}" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(255) NOT NULL, "state" varchar(16) NOT NULL, "encrypted_secret" varchar(512) NOT NULL, "key_id" varchar(32) NOT NULL, "pending_expires_at" datetime(3), "last_used_step" bigint, "failure_count" integer NOT NULL DEFAULT (0), "backoff_until" datetime(3), "locked_at" datetime(3), "created_at" datetime(3) NOT NULL, "confirmed_at" datetime(3), "updated_at" datetime(3) NOT NULL)`,
    `CREATE UNIQUE INDEX "UQ_two_factor_credentials_user_id" ON "${t.credentials}" ("user_id")`,
    `CREATE TABLE "${t.backupCodes}" ("id" varchar(36) PRIMARY KEY NOT NULL, "credential_id" varchar(36) NOT NULL, "hash" varchar(255) NOT NULL, "used_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_two_factor_backup_codes_credential_id" FOREIGN KEY ("credential_id") REFERENCES "${t.credentials}" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    `CREATE INDEX "IDX_two_factor_backup_codes_credential_id" ON "${t.backupCodes}" ("credential_id")`,
    `CREATE TABLE "${t.auditEvents}" ("id" varchar(36) PRIMARY KEY NOT NULL, "type" varchar(64) NOT NULL, "user_id" varchar(255) NOT NULL, "actor_id" varchar(255), "method" varchar(16), "reason" varchar(64), "failure_count" integer, "retry_after_seconds" integer, "ip" varchar(64), "user_agent" varchar(512), "occurred_at" datetime(3) NOT NULL)`,
    `CREATE INDEX "IDX_two_factor_audit_events_user_id_occurred_at" ON "${t.auditEvents}" ("user_id", "occurred_at")`,
  ];
}

/**
 * Creates `two_factor_credentials`, `two_factor_backup_codes` and `two_factor_audit_events`
 * on MySQL/MariaDB (mysql2) or SQLite (better-sqlite3). `down` drops them.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { CreateTwoFactorTables1764288000000, twoFactorEntities } from '@secondfactor/typeorm';
 * const dataSource = new DataSource({ type: 'mysql', url: process.env.DATABASE_URL, entities: [...twoFactorEntities], migrations: [CreateTwoFactorTables1764288000000] });
 * await dataSource.initialize();
 * await dataSource.runMigrations();
 * ```
 */
export class CreateTwoFactorTables1764288000000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'CreateTwoFactorTables1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = tableNames(queryRunner);
    const statements = dialectOf(queryRunner) === 'mysql' ? mysqlUp(t) : sqliteUp(t);
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = tableNames(queryRunner);
    const quote = dialectOf(queryRunner) === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
    // Children first: the backup codes reference the credentials.
    for (const name of [t.auditEvents, t.backupCodes, t.credentials])
      await queryRunner.query(`DROP TABLE ${quote(name)}`);
  }
}
