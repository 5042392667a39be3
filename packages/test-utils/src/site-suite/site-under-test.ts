/**
 * What the site suite runs against: an example site built in the test's own process on one
 * database, with a fake clock, listening on an ephemeral port. Each site's tests supply a
 * {@link SiteTarget} that builds one (its `createApp`); the suite drives it over HTTP, reads its
 * database through a back door, and moves its clock.
 */
import type { FakeClock } from '../fake-clock';

/** The databases the example sites support. */
export type Backend = 'sqlite' | 'mysql' | 'postgres';

/** Every backend, in the order the suite runs them. */
export const BACKENDS: readonly Backend[] = Object.freeze(['sqlite', 'mysql', 'postgres'] as const);

/** A backend's name in test titles. */
export const BACKEND_LABELS: Readonly<Record<Backend, string>> = Object.freeze({
  sqlite: 'SQLite',
  mysql: 'MariaDB',
  postgres: 'PostgreSQL',
});

/** Table name to rows, every value turned into a string (binary as hex), rows sorted. */
export type DatabaseDump = Record<string, Array<Record<string, string | null>>>;

/** What a support command (the admin CLI's `2fa:status|2fa:disable|2fa:unlock`) answered. */
export interface AdminOutcome {
  exitCode: number;
  message: string;
}

/** A running site. */
export interface SiteUnderTest {
  readonly backend: Backend;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The site's clock: the 2FA service, the strategy, the routers and the sessions read it. */
  readonly clock: FakeClock;
  /** The site's `DATA_DIR` (its mail outbox). */
  readonly dataDir: string;
  /** The SQLite file, on the sqlite backend. */
  readonly sqliteFile?: string;
  /** Every line the site logged since it was built. */
  readonly logLines: readonly string[];
  /** Runs SQL (`?` placeholders) on the site's database behind its back. Writes answer `[]`. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Every row of every table `exclude` does not match. */
  dump(exclude?: RegExp): Promise<DatabaseDump>;
  /** Runs a support command as `npm run admin -- <args>` would, in this process. */
  admin(args: string[]): Promise<AdminOutcome>;
  /** A second instance on the same database, keys, session store and clock. Stopped with this one. */
  twin(): Promise<SiteUnderTest>;
  /** Shuts down (queued audit rows are written) and builds again on the same port and database. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Shuts down, then drops the database and the data folder. */
  stop(): Promise<void>;
}

/** Options of {@link SiteTarget.start}. */
export interface StartSiteOptions {
  backend: Backend;
  /** Names the database and data folder. */
  label: string;
  /** More site environment (e.g. `AUDIT_BATCH_MS`, `REDIS_URL`). */
  env?: Record<string, string>;
}

/** How to build one example site in-process; each site's tests pass one to `runSiteSuite`. */
export interface SiteTarget {
  /** The site's name in test titles, e.g. "Koa billing site". */
  name: string;
  /**
   * Builds the site on a fresh database of `backend`. Skips the calling suite (with a printed
   * reason) when that database server is not configured; fails instead when it is required.
   */
  start(context: Mocha.Context, options: StartSiteOptions): Promise<SiteUnderTest>;
}

/**
 * A site filled in by a `before` hook: tests read its fields once the hook ran.
 */
export function useSite(
  target: SiteTarget,
  backend: Backend,
  label: string,
  env?: Record<string, string>,
): SiteUnderTest {
  const handle = {} as { current?: SiteUnderTest };
  before(async function () {
    this.timeout(120_000);
    handle.current = await target.start(this, { backend, label, env });
  });
  after(async function () {
    this.timeout(60_000);
    await handle.current?.stop();
  });
  return new Proxy({} as SiteUnderTest, {
    get(_target, property) {
      if (!handle.current) throw new Error(`The ${label} site is not started (its before hook failed or was skipped).`);
      const value = Reflect.get(handle.current, property);
      return typeof value === 'function' ? value.bind(handle.current) : value;
    },
  });
}
