/**
 * What every migration of this package needs to know about the connection it runs on: the dialect,
 * and the quoted names of the tables as the entities resolve them (`entityPrefix` prepended; on
 * PostgreSQL inside the DataSource's `schema`, when one is set).
 */
import { ConfigurationError } from '@secondfactor/core';
import type { QueryRunner } from 'typeorm';
import { dialectOfDriver, quoteIdentifier, SUPPORTED_DRIVERS, type Dialect } from './dialect';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/** The connection a migration runs on, as the migration's SQL needs it. */
export interface MigrationContext {
  dialect: Dialect;
  /** Quoted, possibly schema-qualified table names, by role. */
  tables: Record<keyof typeof TWO_FACTOR_TABLE_NAMES, string>;
  /** The same names unquoted (`schema.table` on PostgreSQL with a schema), as `hasTable` and `getTable` take them. */
  tablePaths: Record<keyof typeof TWO_FACTOR_TABLE_NAMES, string>;
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
