/**
 * The SQL dialects this package speaks, and which TypeORM driver types map to each. The store, the
 * migrations and the maintenance helpers branch on these three names only.
 */

/** MySQL/MariaDB (mysql2), SQLite (better-sqlite3) or PostgreSQL (pg). */
export type Dialect = 'mysql' | 'sqlite' | 'postgres';

const DIALECTS: Readonly<Record<string, Dialect>> = Object.freeze({
  mysql: 'mysql',
  mariadb: 'mysql',
  'better-sqlite3': 'sqlite',
  sqlite: 'sqlite',
  sqljs: 'sqlite',
  postgres: 'postgres',
});

/** The drivers named in configuration errors. */
export const SUPPORTED_DRIVERS = 'mysql, mariadb, better-sqlite3 and postgres';

/** The dialect of a TypeORM driver type (`options.type`), or undefined for one this package does not support. */
export function dialectOfDriver(type: unknown): Dialect | undefined {
  return typeof type === 'string' && Object.hasOwn(DIALECTS, type) ? DIALECTS[type] : undefined;
}

/** Quotes one identifier (a table, index or column name) for `dialect`. */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}
