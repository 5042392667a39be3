/**
 * Scratch SQL databases: SQLite in memory, or a MariaDB / PostgreSQL database of its own
 * (`sf_sessions_<random>`) created on the configured server and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { requireServer, sqlServerOptions } from './servers';

/** A TypeORM database kind. */
export type SqlKind = 'sqlite' | 'mariadb' | 'postgres';

/** An empty database: the options to connect to it, and how to drop it. */
export interface ScratchDatabase {
  kind: SqlKind;
  /** Connection options; add entities, migrations and the rest. */
  options: DataSourceOptions;
  /** Drops the database (after the caller destroyed its DataSources). */
  drop(): Promise<void>;
}

/** Creates an empty database of `kind`; the server must have been checked with `requireServer`. */
export async function createScratchDatabase(kind: SqlKind): Promise<ScratchDatabase> {
  if (kind === 'sqlite')
    return { kind, options: { type: 'better-sqlite3', database: ':memory:' }, drop: async () => {} };
  const name = `sf_sessions_${randomBytes(6).toString('hex')}`;
  const server = kind === 'mariadb' ? 'mysql' : 'postgres';
  const admin = new DataSource({ ...sqlServerOptions(server), poolSize: 1 } as DataSourceOptions);
  await admin.initialize();
  // The server's default collation (case-insensitive on MariaDB): what a host's `synchronize` would get.
  await admin.query(
    kind === 'mariadb' ? `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4` : `CREATE DATABASE "${name}"`,
  );
  return {
    kind,
    options: sqlServerOptions(server, name),
    async drop() {
      try {
        await admin.query(
          kind === 'mariadb' ? `DROP DATABASE IF EXISTS \`${name}\`` : `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
        );
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** Labels for describe titles. */
export const SQL_LABELS: Record<SqlKind, string> = {
  sqlite: 'SQLite (better-sqlite3)',
  mariadb: 'MariaDB (mysql2)',
  postgres: 'PostgreSQL (pg)',
};

/** Every TypeORM database kind. */
export const SQL_KINDS: readonly SqlKind[] = ['sqlite', 'mariadb', 'postgres'];

/** Registers `body` once per kind, each in a describe that first checks its server is there. */
export function forEachSqlKind(kinds: readonly SqlKind[], body: (kind: SqlKind) => void): void {
  for (const kind of kinds) {
    describe(`on ${SQL_LABELS[kind]}`, function () {
      before(async function () {
        if (kind === 'mariadb') await requireServer(this, 'mysql');
        if (kind === 'postgres') await requireServer(this, 'postgres');
      });
      body(kind);
    });
  }
}
