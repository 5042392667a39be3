/**
 * Reads every row of the site's database, whatever its schema, for two checks: "no state changed"
 * (compare dumps before and after) and "no plaintext secret at rest" (search the dump's text).
 */
import type { DatabaseDump } from '@secondfactor/test-utils';
import type { TestDatabase } from './mysql-database';

// better-sqlite3 ships no types and this is the only use; the few calls needed are typed here.
interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
  readonly reader: boolean;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
  close(): void;
}
const Database = require('better-sqlite3') as new (
  file: string,
  options?: { readonly?: boolean; fileMustExist?: boolean },
) => SqliteDatabase;

/** Where the site's data lives: a SQLite file, or a MariaDB or PostgreSQL test database. */
export type DumpSource = { sqliteFile: string } | { server: TestDatabase };

function normalise(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `hex:${value.toString('hex')} utf8:${value.toString('utf8')}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function sortRows(rows: Array<Record<string, string | null>>): Array<Record<string, string | null>> {
  return rows
    .map((row) => JSON.stringify(row))
    .sort()
    .map((row) => JSON.parse(row));
}

/**
 * Dumps every table (except those `exclude` matches), rows sorted so two dumps compare equal.
 */
export async function dumpDatabase(source: DumpSource, exclude?: RegExp): Promise<DatabaseDump> {
  const dump: DatabaseDump = {};
  if ('sqliteFile' in source) {
    const db = new Database(source.sqliteFile, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
        .all() as Array<{ name: string }>;
      for (const { name } of tables) {
        if (exclude?.test(name)) continue;
        const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as Array<Record<string, unknown>>;
        dump[name] = sortRows(
          rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normalise(v)]))),
        );
      }
    } finally {
      db.close();
    }
    return dump;
  }
  const { server } = source;
  return dumpTables((query) => server.query(query), server.dialect, exclude);
}

/** The SQL dialects the sites run on. */
export type Dialect = 'sqlite' | 'mysql' | 'postgres';

/**
 * Dumps every table (except those `exclude` matches) through any query function: a test's own
 * connection, or the site's DataSource in-process.
 */
export async function dumpTables(
  query: (sql: string) => Promise<Array<Record<string, unknown>>>,
  dialect: Dialect,
  exclude?: RegExp,
): Promise<DatabaseDump> {
  const dump: DatabaseDump = {};
  const listing =
    dialect === 'postgres'
      ? 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename'
      : dialect === 'mysql'
        ? 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1'
        : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`;
  const quote = (name: string) =>
    dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
  for (const { name } of (await query(listing)) as Array<{ name: string }>) {
    if (exclude?.test(name)) continue;
    const rows = await query(`SELECT * FROM ${quote(name)}`);
    dump[name] = sortRows(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalise(v)]))));
  }
  return dump;
}

/**
 * Runs one SQL statement with `?` placeholders on any backend. Reads return rows; writes
 * return an empty array.
 */
export async function runSql<T = Record<string, unknown>>(
  source: DumpSource,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  if ('server' in source) return source.server.query<T>(query, params);
  const db = new Database(source.sqliteFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const statement = db.prepare(query);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}
