/**
 * MariaDB for cross-package tests: every run gets its own database, dropped afterwards, so parallel
 * runs never meet. Without `MYSQL_URL` the tests skip with a printed reason; with `REQUIRE_MYSQL=1`
 * a missing or unreachable server fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';

/** A database created for one test run, on MariaDB or (see `postgres-database.ts`) PostgreSQL. */
export interface TestDatabase {
  /** Which server it lives on. */
  dialect: 'mysql' | 'postgres';
  /** The database name, e.g. `sf_security_3f9a1c`. */
  name: string;
  /** `mysql://user:pass@host:port/<name>` or `postgres://…`. */
  url: string;
  /** Host and port of the server, for proxies. */
  host: string;
  port: number;
  /** Runs SQL (`?` placeholders) on this database through a private admin connection. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the database and closes the admin connection. */
  drop(): Promise<void>;
}

/**
 * Whether the MariaDB tests run: the URL, or the reason they are skipped. Throws when
 * `REQUIRE_MYSQL=1` and `MYSQL_URL` is missing.
 */
export function mysqlAvailability(): { url: string; skipReason?: undefined } | { url?: undefined; skipReason: string } {
  const url = process.env.MYSQL_URL;
  if (url) return { url };
  if (process.env.REQUIRE_MYSQL === '1') throw new Error('REQUIRE_MYSQL=1 but MYSQL_URL is not set.');
  return {
    skipReason: 'MYSQL_URL is not set; set it (e.g. mysql://root@127.0.0.1:3306/test) to run the MariaDB tests.',
  };
}

/**
 * In a mocha `before` hook: skips the suite with a printed reason when MariaDB is not configured,
 * fails it when it is required. Returns the server URL.
 */
export function requireMysqlOrSkip(context: Mocha.Context): string {
  const availability = mysqlAvailability();
  if (availability.url) return availability.url;
  console.log(`      skipped: ${availability.skipReason}`);
  context.skip();
  throw new Error('unreachable');
}

/**
 * Creates `sf_<prefix>_<random>` on the server `serverUrl` points at.
 */
export async function createTestDatabase(serverUrl: string, prefix: string): Promise<TestDatabase> {
  const base = new URL(serverUrl);
  const name = `sf_${prefix.replace(/[^a-z0-9_]/gi, '_')}_${randomBytes(4).toString('hex')}`;
  const admin: Connection = await createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username || 'root'),
    password: decodeURIComponent(base.password || ''),
    multipleStatements: false,
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.query(`USE \`${name}\``);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dialect: 'mysql',
    name,
    url: url.toString(),
    host: base.hostname,
    port: Number(base.port || 3306),
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const [rows] = await admin.query(sql, params);
      return rows as T[];
    },
    async drop(): Promise<void> {
      try {
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * The same URL with another host and port, e.g. to route a site through a {@link TcpProxy}.
 */
export function withHostPort(databaseUrl: string, host: string, port: number): string {
  const url = new URL(databaseUrl);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
}
