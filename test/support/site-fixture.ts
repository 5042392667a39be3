/**
 * Mocha fixtures that run the example site on SQLite or on a fresh MariaDB or PostgreSQL database,
 * so the same attack suite runs on all three (DESIGN.md §8). Server runs skip with a printed reason
 * without `MYSQL_URL` or `POSTGRES_URL`, and fail with `REQUIRE_MYSQL=1` or `REQUIRE_POSTGRES=1`.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { dumpDatabase, runSql, type DatabaseDump } from './database-dump';
import { createTestDatabase, requireMysqlOrSkip, type TestDatabase } from './mysql-database';
import { createPostgresTestDatabase, requirePostgresOrSkip } from './postgres-database';
import { makeDataDir, SiteProcess, type SiteProcessOptions } from './site-process';

/** The databases the site supports. */
export type Backend = 'sqlite' | 'mysql' | 'postgres';

/** Every backend, for `for (const backend of BACKENDS) describe(...)`. */
export const BACKENDS: readonly Backend[] = ['sqlite', 'mysql', 'postgres'];

/** The database servers, for tests of several instances or of a server going away. */
export const SERVER_BACKENDS: readonly Exclude<Backend, 'sqlite'>[] = ['mysql', 'postgres'];

/** A backend's name in test titles. */
export const BACKEND_LABELS: Readonly<Record<Backend, string>> = {
  sqlite: 'SQLite',
  mysql: 'MariaDB',
  postgres: 'PostgreSQL',
};

/** A running site and its database; filled in by the `before` hook. */
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

/** Options for {@link useSite}. */
export interface UseSiteOptions {
  /** Extra site environment. */
  env?: Record<string, string | undefined>;
  /** Other {@link SiteProcessOptions}. */
  process?: Partial<SiteProcessOptions>;
}

/**
 * Prepares a database for a backend: a fresh SQLite file, or a fresh MariaDB or PostgreSQL
 * database. Call it in a `before` hook; it skips the suite when that server is not configured.
 *
 * @example
 * ```ts
 * before(async function () { storage = await prepareStorage(this, 'mysql', 'cluster'); });
 * ```
 */
export async function prepareStorage(
  context: Mocha.Context,
  backend: Backend,
  label: string,
): Promise<{ databaseUrl: string; dataDir: string; db?: TestDatabase; sqliteFile?: string; cleanup(): Promise<void> }> {
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

/**
 * Starts the site for the enclosing `describe` and stops it afterwards.
 *
 * @example
 * ```ts
 * describe('Replay (sqlite)', () => {
 *   const handle = useSite('sqlite', 'replay');
 *   it('…', async () => { await fetch(handle.url + '/session'); });
 * });
 * ```
 */
export function useSite(backend: Backend, label: string, options: UseSiteOptions = {}): SiteHandle {
  const handle = { backend } as SiteHandle;
  let cleanup: (() => Promise<void>) | undefined;
  before(async function () {
    this.timeout(90_000);
    const started = await startSite(this, backend, label, options);
    cleanup = started.cleanup;
    Object.assign(handle, started.handle);
  });
  after(async function () {
    this.timeout(30_000);
    await handle.site?.stop();
    await cleanup?.();
  });
  return handle;
}

const sharedSites = new Map<Backend, Promise<{ handle: SiteHandle; cleanup(): Promise<void> }>>();

/**
 * Like {@link useSite}, but one site per backend serves every suite that asks, and stops after the
 * whole run: the attack suites register their own users, so they can share a process and save a
 * start-up (and, on MariaDB, a migration) per file.
 *
 * @example
 * ```ts
 * describe('Replay (mysql)', () => {
 *   const handle = useSharedSite('mysql');
 * });
 * ```
 */
export function useSharedSite(backend: Backend): SiteHandle {
  const handle = { backend } as SiteHandle;
  before(async function () {
    this.timeout(90_000);
    if (backend === 'mysql') requireMysqlOrSkip(this);
    if (backend === 'postgres') requirePostgresOrSkip(this);
    let started = sharedSites.get(backend);
    if (!started) {
      started = startSite(this, backend, 'shared');
      sharedSites.set(backend, started);
    }
    Object.assign(handle, (await started).handle);
  });
  return handle;
}

// Loaded from a test file's imports, before any describe: this is a root-level hook that stops the
// shared sites once, after every suite ran.
if (typeof after === 'function') {
  after(async function () {
    this.timeout(60_000);
    const all = [...sharedSites.values()];
    sharedSites.clear();
    for (const started of all) {
      const { handle, cleanup } = await started.catch(() => ({ handle: undefined, cleanup: async () => undefined }));
      await handle?.site.stop();
      await cleanup();
    }
  });
}

async function startSite(
  context: Mocha.Context,
  backend: Backend,
  label: string,
  options: UseSiteOptions = {},
): Promise<{ handle: SiteHandle; cleanup(): Promise<void> }> {
  const storage = await prepareStorage(context, backend, label);
  try {
    const site = await SiteProcess.start({
      databaseUrl: storage.databaseUrl,
      dataDir: storage.dataDir,
      name: `${label}-${backend}`,
      ...options.process,
      env: { ...options.process?.env, ...options.env },
    });
    const source = storage.db ? { server: storage.db } : { sqliteFile: storage.sqliteFile as string };
    const handle: SiteHandle = {
      backend,
      site,
      url: site.url,
      databaseUrl: storage.databaseUrl,
      db: storage.db,
      sqliteFile: storage.sqliteFile,
      dump: (exclude?: RegExp) => dumpDatabase(source, exclude),
      sql: <T>(query: string, params?: unknown[]) => runSql<T>(source, query, params),
    };
    return { handle, cleanup: storage.cleanup };
  } catch (error) {
    await storage.cleanup();
    throw error;
  }
}
