/**
 * PostgreSQL for cross-package tests: every run gets its own database, dropped afterwards, so
 * parallel runs never meet. Without `POSTGRES_URL` the tests skip with a printed reason; with
 * `REQUIRE_POSTGRES=1` a missing or unreachable server fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { TestDatabase } from './mysql-database';

/**
 * Whether the PostgreSQL tests run: the URL, or the reason they are skipped. Throws when
 * `REQUIRE_POSTGRES=1` and `POSTGRES_URL` is missing.
 */
export function postgresAvailability():
  { url: string; skipReason?: undefined } | { url?: undefined; skipReason: string } {
  const url = process.env.POSTGRES_URL;
  if (url) return { url };
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error('REQUIRE_POSTGRES=1 but POSTGRES_URL is not set.');
  return {
    skipReason:
      'POSTGRES_URL is not set; set it (e.g. postgres://root@127.0.0.1:5432/test) to run the PostgreSQL tests.',
  };
}

/**
 * In a mocha `before` hook: skips the suite with a printed reason when PostgreSQL is not
 * configured, fails it when it is required. Returns the server URL.
 */
export function requirePostgresOrSkip(context: Mocha.Context): string {
  const availability = postgresAvailability();
  if (availability.url) return availability.url;
  console.log(`      skipped: ${availability.skipReason}`);
  context.skip();
  throw new Error('unreachable');
}

/** A client on `url` with `database` instead of the URL's. */
async function connect(url: URL, database: string): Promise<Client> {
  const client = new Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
  });
  // A server that goes away must fail the next query, not crash the test run with an unhandled 'error'.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Creates `sf_<prefix>_<random>` on the server `serverUrl` points at. Its `query` takes `?`
 * placeholders, like the MariaDB one, so back-door helpers run unchanged on both.
 */
export async function createPostgresTestDatabase(serverUrl: string, prefix: string): Promise<TestDatabase> {
  const base = new URL(serverUrl);
  const name = `sf_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = await connect(base, decodeURIComponent(base.pathname.slice(1)) || 'postgres');
  let client: Client;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    client = await connect(base, name);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    name,
    url: url.toString(),
    host: base.hostname,
    port: Number(base.port || 5432),
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      let index = 0;
      const result = await client.query(
        sql.replace(/\?/g, () => `$${++index}`),
        params,
      );
      return result.rows as T[];
    },
    async drop(): Promise<void> {
      try {
        await client.end();
        // FORCE: a site killed mid-test may have left connections behind.
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
