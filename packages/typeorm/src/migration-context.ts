/**
 * What every migration of this package needs to know about the connection it runs on: the dialect,
 * and the quoted names of the tables as the entities resolve them (`entityPrefix` prepended; on
 * PostgreSQL inside the DataSource's `schema`, when one is set).
 */
import { ConfigurationError } from '@secondfactor/core';
import type { QueryRunner } from 'typeorm';
import { dialectOfDriver, quoteIdentifier, SUPPORTED_DRIVERS, type Dialect } from './dialect';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/** One of the package's tables, by role. */
export type TwoFactorTableRole = keyof typeof TWO_FACTOR_TABLE_NAMES;

/** MySQL/MariaDB table options: InnoDB, and utf8mb4_bin so ids, keys and hashes compare byte for byte and any User-Agent fits. */
export const MYSQL_TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/** The connection a migration runs on, as the migration's SQL needs it. */
export interface MigrationContext {
  dialect: Dialect;
  /** Quoted, possibly schema-qualified table names, by role. */
  tables: Record<TwoFactorTableRole, string>;
  /** The same names unquoted (`schema.table` on PostgreSQL with a schema), as `hasTable` and `getTable` take them. */
  tablePaths: Record<TwoFactorTableRole, string>;
  /** Quotes one identifier (a column or index name) for the dialect. */
  quote(name: string): string;
  /** An index name as `DROP INDEX` needs it (schema-qualified on PostgreSQL). */
  index(name: string): string;
}

/** Reads the dialect, prefix and schema of `queryRunner`'s connection. Refuses unsupported drivers. */
export function migrationContext(queryRunner: QueryRunner): MigrationContext {
  const options = queryRunner.connection.options as { type: unknown; entityPrefix?: string; schema?: string };
  const dialect = dialectOfDriver(options.type);
  if (!dialect)
    throw new ConfigurationError(
      `@secondfactor/typeorm has migrations for ${SUPPORTED_DRIVERS}, not "${String(options.type)}".`,
    );
  const prefix = options.entityPrefix ?? '';
  // TypeORM resolves entity tables in the DataSource's schema on PostgreSQL; the migration must agree.
  const schema = dialect === 'postgres' && options.schema ? `${quoteIdentifier(dialect, options.schema)}.` : '';
  const quote = (name: string) => quoteIdentifier(dialect, name);
  const table = (name: string) => schema + quote(prefix + name);
  const path = (name: string) => (dialect === 'postgres' && options.schema ? `${options.schema}.` : '') + prefix + name;
  return {
    dialect,
    tables: {
      credentials: table(TWO_FACTOR_TABLE_NAMES.credentials),
      backupCodes: table(TWO_FACTOR_TABLE_NAMES.backupCodes),
      auditEvents: table(TWO_FACTOR_TABLE_NAMES.auditEvents),
      enrollmentDeadlines: table(TWO_FACTOR_TABLE_NAMES.enrollmentDeadlines),
      trustedDevices: table(TWO_FACTOR_TABLE_NAMES.trustedDevices),
      passwordThrottles: table(TWO_FACTOR_TABLE_NAMES.passwordThrottles),
    },
    tablePaths: {
      credentials: path(TWO_FACTOR_TABLE_NAMES.credentials),
      backupCodes: path(TWO_FACTOR_TABLE_NAMES.backupCodes),
      auditEvents: path(TWO_FACTOR_TABLE_NAMES.auditEvents),
      enrollmentDeadlines: path(TWO_FACTOR_TABLE_NAMES.enrollmentDeadlines),
      trustedDevices: path(TWO_FACTOR_TABLE_NAMES.trustedDevices),
      passwordThrottles: path(TWO_FACTOR_TABLE_NAMES.passwordThrottles),
    },
    quote,
    index: (name) => schema + quote(name),
  };
}

/** A migration step's SQL for each dialect, run in order. */
export type StatementsByDialect = Record<Dialect, (context: MigrationContext) => string[]>;

/**
 * Creates one of the package's tables with its dialect's statements, unless the table is there:
 * `synchronize: true` already built it from its entity, and the migration then only records itself.
 */
export async function createTableUnlessPresent(
  queryRunner: QueryRunner,
  table: TwoFactorTableRole,
  statements: StatementsByDialect,
): Promise<void> {
  const context = migrationContext(queryRunner);
  if (await queryRunner.hasTable(context.tablePaths[table])) return;
  for (const sql of statements[context.dialect](context)) await queryRunner.query(sql);
}

/** Drops one of the package's tables: the `down` of a migration that created it. */
export async function dropTable(queryRunner: QueryRunner, table: TwoFactorTableRole): Promise<void> {
  await queryRunner.query(`DROP TABLE ${migrationContext(queryRunner).tables[table]}`);
}
