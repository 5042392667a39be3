/**
 * The session table as a TypeORM migration, one class for MySQL/MariaDB, SQLite and PostgreSQL: it
 * branches on the driver type. The SQL is what TypeORM's schema builder derives from
 * {@link SecondFactorSessionEntity}, so a later `migration:generate` finds nothing to change.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SESSION_TABLE } from './session-table';

/** The SQL family of a DataSource: MySQL/MariaDB, SQLite or PostgreSQL. */
export type SessionDialect = 'mysql' | 'sqlite' | 'postgres';

const DIALECTS: Record<string, SessionDialect> = {
  mysql: 'mysql',
  mariadb: 'mysql',
  'better-sqlite3': 'sqlite',
  sqlite: 'sqlite',
  sqljs: 'sqlite',
  postgres: 'postgres',
};

/** The dialect of a DataSource type; a clear error for a driver this package has no SQL for. */
export function sessionDialectOf(type: unknown): SessionDialect {
  const dialect = DIALECTS[String(type)];
  if (!dialect)
    throw new TypeError(
      '@secondfactor/sessions supports mysql, mariadb, better-sqlite3, sqlite and postgres DataSources, ' +
        `not "${String(type)}".`,
    );
  return dialect;
}

function createStatements(dialect: SessionDialect, table: string): string[] {
  const { primaryKey, userIndex, expiryIndex } = SESSION_TABLE;
  if (dialect === 'mysql')
    // utf8mb4_bin: handles and user ids compare byte for byte, and any User-Agent fits.
    return [
      `CREATE TABLE \`${table}\` (
        \`id\` varchar(64) NOT NULL, \`user_id\` varchar(255) NULL, \`data\` text NOT NULL,
        \`created_at\` bigint NOT NULL, \`last_seen_at\` bigint NOT NULL, \`expires_at\` bigint NOT NULL,
        \`ip\` varchar(64) NULL, \`user_agent\` varchar(512) NULL, \`revoked_at\` bigint NULL,
        INDEX \`${userIndex}\` (\`user_id\`), INDEX \`${expiryIndex}\` (\`expires_at\`), PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    ];
  const varchar = dialect === 'postgres' ? 'character varying' : 'varchar';
  const primary =
    dialect === 'postgres'
      ? `"id" ${varchar}(64) NOT NULL`
      : // SQLite has no named primary key constraint; TypeORM reads the key from the column.
        `"id" varchar(64) PRIMARY KEY NOT NULL`;
  const constraint = dialect === 'postgres' ? `, CONSTRAINT "${primaryKey}" PRIMARY KEY ("id")` : '';
  return [
    `CREATE TABLE "${table}" (
      ${primary}, "user_id" ${varchar}(255), "data" text NOT NULL,
      "created_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "expires_at" bigint NOT NULL,
      "ip" ${varchar}(64), "user_agent" ${varchar}(512), "revoked_at" bigint${constraint}
    )`,
    `CREATE INDEX "${userIndex}" ON "${table}" ("user_id")`,
    `CREATE INDEX "${expiryIndex}" ON "${table}" ("expires_at")`,
  ];
}

/**
 * Creates `secondfactor_sessions` with its user and expiry indexes; `down` drops it. A table that
 * `synchronize` already created is left as it is, so a host can move from synchronising to migrating.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { CreateSessionTable1767225600000, sessionEntities } from '@secondfactor/sessions/typeorm';
 * const dataSource = new DataSource({
 *   type: 'postgres',
 *   url: process.env.DATABASE_URL,
 *   entities: [...sessionEntities],
 *   migrations: [CreateSessionTable1767225600000],
 * });
 * await dataSource.initialize();
 * await dataSource.runMigrations();
 * ```
 */
export class CreateSessionTable1767225600000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'CreateSessionTable1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = tableName(queryRunner);
    if (await queryRunner.hasTable(table)) return;
    for (const sql of createStatements(sessionDialectOf(queryRunner.connection.options.type), table))
      await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = tableName(queryRunner);
    const dialect = sessionDialectOf(queryRunner.connection.options.type);
    await queryRunner.query(`DROP TABLE ${dialect === 'mysql' ? `\`${table}\`` : `"${table}"`}`);
  }
}

/** TypeORM prepends `entityPrefix` to every entity table; the migration must create the same name. */
function tableName(queryRunner: QueryRunner): string {
  return (queryRunner.connection.options.entityPrefix ?? '') + SESSION_TABLE.name;
}
