/**
 * Turns the `DATABASE_URL` convention of the example site and the CLI into TypeORM DataSource
 * options: `sqlite:<file>` for better-sqlite3, `mysql://` or `mariadb://` for mysql2, `postgres://`
 * or `postgresql://` for pg.
 */
import { ConfigurationError } from '@secondfactor/core';
import type { DataSourceOptions } from 'typeorm';

const USAGE =
  'DATABASE_URL must be "sqlite:<file>", "mysql://user:pass@host:port/db" (or "mariadb://…") ' +
  'or "postgres://user:pass@host:port/db" (or "postgresql://…").';

/** URL scheme to TypeORM driver type and default port. */
const SERVERS: Readonly<Record<string, { type: 'mysql' | 'mariadb' | 'postgres'; port: number; user: string }>> = {
  mysql: { type: 'mysql', port: 3306, user: 'root' },
  mariadb: { type: 'mariadb', port: 3306, user: 'root' },
  postgres: { type: 'postgres', port: 5432, user: 'postgres' },
  postgresql: { type: 'postgres', port: 5432, user: 'postgres' },
};

/**
 * Connection options for a `DATABASE_URL`. Add your `entities` and `migrations` to the result.
 * MySQL options store dates in UTC (`timezone: 'Z'`). Use `mariadb://` for a MariaDB server so
 * TypeORM's schema tools read its catalog correctly; both schemes use mysql2. PostgreSQL (pg)
 * stores the two-factor dates as `timestamp(3)` in the process's time zone, as pg converts them:
 * run every instance in the same zone (UTC is simplest). The only query parameter is `poolSize`
 * (connections in the pool).
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { dataSourceOptionsFromUrl, twoFactorEntities, twoFactorMigrations } from '@secondfactor/typeorm';
 * const dataSource = new DataSource({
 *   ...dataSourceOptionsFromUrl(process.env.DATABASE_URL ?? 'sqlite:.data/app.sqlite'),
 *   entities: [...twoFactorEntities],
 *   migrations: [...twoFactorMigrations],
 * });
 * ```
 */
export function dataSourceOptionsFromUrl(url: string): DataSourceOptions {
  if (typeof url !== 'string' || url.trim() === '') throw new ConfigurationError(USAGE);
  const text = url.trim();
  if (text.startsWith('sqlite:')) {
    let database = text.slice('sqlite:'.length);
    // `sqlite:///abs/path` and `sqlite://rel/path` are common spellings of the same thing.
    if (database.startsWith('//')) database = database.slice(2);
    if (database === '') throw new ConfigurationError(USAGE);
    return { type: 'better-sqlite3', database };
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    // The URL may hold a password: never echo it.
    throw new ConfigurationError(USAGE);
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (!Object.hasOwn(SERVERS, scheme)) throw new ConfigurationError(USAGE);
  const server = SERVERS[scheme];
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !database || database.includes('/')) throw new ConfigurationError(USAGE);
  let poolSize: number | undefined;
  for (const [key, value] of parsed.searchParams) {
    if (key !== 'poolSize' || !/^[1-9]\d{0,3}$/.test(value))
      throw new ConfigurationError(`${USAGE} The only query parameter is poolSize=<1-9999>.`);
    poolSize = Number(value);
  }
  const connection = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : server.port,
    username: decodeURIComponent(parsed.username) || server.user,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
    ...(poolSize === undefined ? {} : { poolSize }),
  };
  if (server.type === 'postgres') return { type: 'postgres', ...connection };
  return { type: server.type, ...connection, timezone: 'Z' };
}
