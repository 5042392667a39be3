/**
 * Databases for the site tests, and a mocha fixture that runs an example site as a process on one.
 * A database is a fresh SQLite file, or a fresh MariaDB or PostgreSQL database. Server runs skip with
 * a printed reason without `MYSQL_URL` or `POSTGRES_URL`, and fail with `REQUIRE_MYSQL=1` or
 * `REQUIRE_POSTGRES=1`.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Backend, DatabaseDump } from '@secondfactor/test-utils';
import { dumpDatabase, runSql } from './database-dump';
import { createTestDatabase, requireMysqlOrSkip, type TestDatabase } from './mysql-database';
import { createPostgresTestDatabase, requirePostgresOrSkip } from './postgres-database';
import { makeDataDir, SiteProcess, type SiteName, type SiteProcessOptions } from './site-process';

export { BACKEND_LABELS, BACKENDS, type Backend } from '@secondfactor/test-utils';

/** The database servers, for tests of several instances or of a server going away. */
export const SERVER_BACKENDS: readonly Exclude<Backend, 'sqlite'>[] = ['mysql', 'postgres'];

/** A running site process and its database; filled in by the `before` hook. */
export interface SiteHandle {
  backend: Backend;
  site: SiteProcess;
  /** The site's URL. */
  url: string;
  /** `DATABASE_URL` the site runs with. */
  databaseUrl: string;
  /** The MariaDB or PostgreSQL database (server backends only). */
  db?: TestDatabase;
  /** The SQLite file (sqlite backend only). */
  sqliteFile?: string;
  /** Every row of every table not matching `exclude`. */
  dump(exclude?: RegExp): Promise<DatabaseDump>;
  /** Runs SQL (`?` placeholders) on the site's database, outside the site: the test's back door. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
}

/** A fresh database and data folder for one site (or several instances of it). */
export interface Storage {
  databaseUrl: string;
  dataDir: string;
  db?: TestDatabase;
  sqliteFile?: string;
  /** Drops the database and removes the data folder. */
  cleanup(): Promise<void>;
}

/**
 * Prepares a database for a backend: a fresh SQLite file, or a fresh MariaDB or PostgreSQL
 * database. Call it in a `before` hook; it skips the suite when that server is not configured.
 */
export async function prepareStorage(context: Mocha.Context, backend: Backend, label: string): Promise<Storage> {
  if (backend === 'sqlite') {
    const dataDir = makeDataDir(`${label}-${backend}`);
    const sqliteFile = resolve(dataDir, 'billing.sqlite');
    return {
      databaseUrl: `sqlite:${sqliteFile}`,
      dataDir,
      sqliteFile,
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  // Skip (or fail) before creating anything, so a skipped suite leaves nothing behind.
  const db =
    backend === 'postgres'
      ? await createPostgresTestDatabase(requirePostgresOrSkip(context), label)
      : await createTestDatabase(requireMysqlOrSkip(context), label);
  const dataDir = makeDataDir(`${label}-${backend}`);
  return {
    databaseUrl: db.url,
    dataDir,
    db,
    cleanup: async () => {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Options for {@link useSiteProcess}. */
export interface UseSiteProcessOptions {
  /** Which site. Default the Koa billing site. */
  site?: SiteName;
  /** Extra site environment. */
  env?: Record<string, string | undefined>;
  /** Other {@link SiteProcessOptions}. */
  process?: Partial<SiteProcessOptions>;
}

/**
 * Starts a site process for the enclosing `describe` and stops it afterwards.
 */
export function useSiteProcess(backend: Backend, label: string, options: UseSiteProcessOptions = {}): SiteHandle {
  const handle = { backend } as SiteHandle;
  let storage: Storage | undefined;
  before(async function () {
    this.timeout(90_000);
    storage = await prepareStorage(this, backend, label);
    const site = await SiteProcess.start({
      site: options.site,
      databaseUrl: storage.databaseUrl,
      dataDir: storage.dataDir,
      name: `${label}-${backend}`,
      ...options.process,
      env: { ...options.process?.env, ...options.env },
    });
    const source = storage.db ? { server: storage.db } : { sqliteFile: storage.sqliteFile as string };
    Object.assign(handle, {
      site,
      url: site.url,
      databaseUrl: storage.databaseUrl,
      db: storage.db,
      sqliteFile: storage.sqliteFile,
      dump: (exclude?: RegExp) => dumpDatabase(source, exclude),
      sql: <T>(query: string, params?: unknown[]) => runSql<T>(source, query, params),
    });
  });
  after(async function () {
    this.timeout(30_000);
    await handle.site?.stop();
    await storage?.cleanup();
  });
  return handle;
}
