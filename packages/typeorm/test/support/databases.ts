/**
 * Fresh, migrated databases for tests: SQLite in memory, SQLite in a temporary file, MariaDB (from
 * MYSQL_URL) and PostgreSQL (from POSTGRES_URL), each server database of its own
 * (`sf_typeorm_<random>`, dropped afterwards), so parallel runs never meet. Without MYSQL_URL or
 * POSTGRES_URL those tests are skipped with a printed reason; with REQUIRE_MYSQL=1 or
 * REQUIRE_POSTGRES=1 a missing or unreachable server fails the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import { twoFactorEntities, twoFactorMigrations } from '../../src';

/** Which database a test runs on. */
export type DatabaseKind = 'sqlite-memory' | 'sqlite-file' | 'mariadb' | 'postgres';

/** A migrated database and its DataSource. */
export interface TestDatabase {
  kind: DatabaseKind;
  dataSource: DataSource;
  /** A DATABASE_URL for the CLI (`sqlite:<file>`, `mariadb://…`, `postgres://…`); null for in-memory SQLite. */
  url: string | null;
  /** The SQLite file, for raw-byte checks. */
  file: string | null;
  /** A table (or other identifier) quoted for this database. */
  quote(name: string): string;
  /** Runs raw SQL with `?` placeholders on the test's DataSource, whatever the database. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Destroys the DataSource and drops the database or deletes the file. */
  teardown(): Promise<void>;
}

/** Options for {@link openDatabase}. */
export interface OpenOptions {
  /** A TypeORM logger, e.g. a statement counter. */
  logger?: Logger;
  /** Skip the migrations (for the migration tests themselves). */
  migrate?: boolean;
  /** Extra DataSource options (entityPrefix, poolSize…). */
  extra?: Partial<DataSourceOptions>;
}

/** Labels for describe titles. */
export const DATABASE_LABELS: Record<DatabaseKind, string> = {
  'sqlite-memory': 'SQLite (better-sqlite3, in memory)',
  'sqlite-file': 'SQLite (better-sqlite3, file)',
  mariadb: 'MariaDB (mysql2)',
  postgres: 'PostgreSQL (pg)',
};

/** `quote` and `sql` of a {@link TestDatabase} for `dataSource`. */
function rawAccess(kind: DatabaseKind, dataSource: DataSource): Pick<TestDatabase, 'quote' | 'sql'> {
  return {
    quote: (name) => (kind === 'mariadb' ? `\`${name}\`` : `"${name}"`),
    async sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
      let index = 0;
      const text = kind === 'postgres' ? query.replace(/\?/g, () => `$${++index}`) : query;
      const result = (await dataSource.query(text, params)) as unknown;
      // TypeORM answers UPDATE and DELETE on PostgreSQL with [rows, count]; tests want the rows.
      if (kind === 'postgres' && Array.isArray(result) && result.length === 2 && typeof result[1] === 'number')
        return result[0] as T[];
      return Array.isArray(result) ? (result as T[]) : [];
    },
  };
}

interface MysqlServer {
  url: URL;
  type: 'mysql' | 'mariadb';
}

let serverProbe: Promise<MysqlServer> | undefined;

/** Connects once to MYSQL_URL and learns whether it is MariaDB (TypeORM reads its catalog differently). */
function probeMysql(): Promise<MysqlServer> {
  serverProbe ??= (async () => {
    const url = new URL(process.env.MYSQL_URL as string);
    const admin = await adminDataSource(url, 'mysql');
    try {
      const [row] = (await admin.query('SELECT VERSION() AS version')) as { version: string }[];
      return { url, type: /mariadb/i.test(row.version) ? 'mariadb' : 'mysql' };
    } finally {
      await admin.destroy();
    }
  })();
  return serverProbe;
}

async function adminDataSource(url: URL, type: 'mysql' | 'mariadb'): Promise<DataSource> {
  const admin = new DataSource({
    type,
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username) || 'root',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
    poolSize: 1,
  });
  await admin.initialize();
  return admin;
}

/**
 * A mocha `before` hook body for MariaDB suites: skips with a printed reason when MYSQL_URL is
 * unset or unreachable, and fails instead when REQUIRE_MYSQL=1.
 */
export async function requireMysql(context: Mocha.Context): Promise<void> {
  const required = process.env.REQUIRE_MYSQL === '1';
  const title = context.test?.parent?.fullTitle() ?? 'MariaDB tests';
  if (!process.env.MYSQL_URL) {
    if (required) throw new Error('REQUIRE_MYSQL=1 but MYSQL_URL is not set: the MariaDB tests cannot run.');
    console.log(
      `      skipping ${title}: MYSQL_URL is not set (set MYSQL_URL=mysql://root@127.0.0.1:3306/test to run them)`,
    );
    context.skip();
  }
  try {
    await probeMysql();
  } catch (error) {
    const reason = `MariaDB at MYSQL_URL is unreachable: ${(error as Error).message}`;
    if (required) throw new Error(`REQUIRE_MYSQL=1 but ${reason}`, { cause: error });
    console.log(`      skipping ${title}: ${reason}`);
    context.skip();
  }
}

async function openMariaDb(options: OpenOptions): Promise<TestDatabase> {
  const server = await probeMysql();
  const name = `sf_typeorm_${randomBytes(6).toString('hex')}`;
  const admin = await adminDataSource(server.url, server.type);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const url = new URL(server.url.href);
  url.pathname = `/${name}`;
  const dataSource = new DataSource({
    type: server.type,
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username) || 'root',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: name,
    timezone: 'Z',
    poolSize: 10,
    entities: [...twoFactorEntities],
    migrations: [...twoFactorMigrations],
    logger: options.logger,
    logging: options.logger ? ['query', 'error'] : false,
    ...(options.extra as object),
  } as DataSourceOptions);
  try {
    await dataSource.initialize();
    if (options.migrate !== false) await dataSource.runMigrations();
  } catch (error) {
    // No teardown is handed out on failure, so drop the scratch database here.
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
    throw error;
  }
  const cliUrl = new URL(url.href);
  if (server.type === 'mariadb') cliUrl.protocol = 'mariadb:';
  return {
    kind: 'mariadb',
    dataSource,
    url: cliUrl.href,
    file: null,
    ...rawAccess('mariadb', dataSource),
    async teardown() {
      try {
        // A test may have broken the pool on purpose; the database is dropped regardless.
        if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.destroy();
      }
    },
  };
}

async function openSqlite(kind: 'sqlite-memory' | 'sqlite-file', options: OpenOptions): Promise<TestDatabase> {
  const dir = kind === 'sqlite-file' ? mkdtempSync(join(tmpdir(), 'sf-typeorm-')) : null;
  const file = dir ? join(dir, 'two-factor.sqlite') : null;
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: file ?? ':memory:',
    entities: [...twoFactorEntities],
    migrations: [...twoFactorMigrations],
    logger: options.logger,
    logging: options.logger ? ['query', 'error'] : false,
    ...(options.extra as object),
  } as DataSourceOptions);
  try {
    await dataSource.initialize();
    if (options.migrate !== false) await dataSource.runMigrations();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    kind,
    dataSource,
    url: file ? `sqlite:${file}` : null,
    file,
    ...rawAccess(kind, dataSource),
    async teardown() {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let postgresProbe: Promise<URL> | undefined;

function postgresOptions(url: URL, database: string) {
  return {
    type: 'postgres' as const,
    host: url.hostname,
    port: Number(url.port || 5432),
    username: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
  };
}

/** A one-connection DataSource on the POSTGRES_URL database, for CREATE and DROP DATABASE. */
async function postgresAdmin(url: URL): Promise<DataSource> {
  const admin = new DataSource({ ...postgresOptions(url, decodeURIComponent(url.pathname.slice(1))), poolSize: 1 });
  await admin.initialize();
  return admin;
}

/** Connects once to POSTGRES_URL, so an unreachable server is reported once, clearly. */
function probePostgres(): Promise<URL> {
  postgresProbe ??= (async () => {
    const url = new URL(process.env.POSTGRES_URL as string);
    const admin = await postgresAdmin(url);
    try {
      await admin.query('SELECT version()');
      return url;
    } finally {
      await admin.destroy();
    }
  })();
  return postgresProbe;
}

/**
 * A mocha `before` hook body for PostgreSQL suites: skips with a printed reason when POSTGRES_URL
 * is unset or unreachable, and fails instead when REQUIRE_POSTGRES=1.
 */
export async function requirePostgres(context: Mocha.Context): Promise<void> {
  const required = process.env.REQUIRE_POSTGRES === '1';
  const title = context.test?.parent?.fullTitle() ?? 'PostgreSQL tests';
  if (!process.env.POSTGRES_URL) {
    if (required) throw new Error('REQUIRE_POSTGRES=1 but POSTGRES_URL is not set: the PostgreSQL tests cannot run.');
    console.log(
      `      skipping ${title}: POSTGRES_URL is not set ` +
        '(set POSTGRES_URL=postgres://root@127.0.0.1:5432/test to run them)',
    );
    context.skip();
  }
  try {
    await probePostgres();
  } catch (error) {
    const reason = `PostgreSQL at POSTGRES_URL is unreachable: ${(error as Error).message}`;
    if (required) throw new Error(`REQUIRE_POSTGRES=1 but ${reason}`, { cause: error });
    console.log(`      skipping ${title}: ${reason}`);
    context.skip();
  }
}

async function openPostgres(options: OpenOptions): Promise<TestDatabase> {
  const server = await probePostgres();
  const name = `sf_typeorm_${randomBytes(6).toString('hex')}`;
  const admin = await postgresAdmin(server);
  await admin.query(`CREATE DATABASE "${name}"`);
  const dataSource = new DataSource({
    ...postgresOptions(server, name),
    poolSize: 10,
    entities: [...twoFactorEntities],
    migrations: [...twoFactorMigrations],
    logger: options.logger,
    logging: options.logger ? ['query', 'error'] : false,
    ...(options.extra as object),
  } as DataSourceOptions);
  const drop = async () => {
    // A test may have broken the pool on purpose; FORCE ends whatever connection is left.
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  try {
    await dataSource.initialize();
    if (options.migrate !== false) await dataSource.runMigrations();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    await drop();
    await admin.destroy();
    throw error;
  }
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    dataSource,
    url: url.href,
    file: null,
    ...rawAccess('postgres', dataSource),
    async teardown() {
      try {
        if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
        await drop();
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** Opens a fresh, migrated database of the given kind. */
export function openDatabase(kind: DatabaseKind, options: OpenOptions = {}): Promise<TestDatabase> {
  if (kind === 'mariadb') return openMariaDb(options);
  if (kind === 'postgres') return openPostgres(options);
  return openSqlite(kind, options);
}

/**
 * Registers `body` once per database kind, each in its own describe. The MariaDB block starts with
 * {@link requireMysql}, the PostgreSQL block with {@link requirePostgres}.
 */
export function forEachDatabase(kinds: readonly DatabaseKind[], body: (kind: DatabaseKind) => void): void {
  for (const kind of kinds) {
    describe(`on ${DATABASE_LABELS[kind]}`, function () {
      if (kind === 'mariadb') {
        before(async function () {
          await requireMysql(this);
        });
      }
      if (kind === 'postgres') {
        before(async function () {
          await requirePostgres(this);
        });
      }
      body(kind);
    });
  }
}

/** Every kind: SQLite in memory, SQLite file, MariaDB, PostgreSQL. */
export const ALL_DATABASES: readonly DatabaseKind[] = ['sqlite-memory', 'sqlite-file', 'mariadb', 'postgres'];
/** One database of each dialect (SQLite file, MariaDB, PostgreSQL), for the slower tests. */
export const EVERY_DIALECT: readonly DatabaseKind[] = ['sqlite-file', 'mariadb', 'postgres'];
/** The database servers, for tests about pools and connections. */
export const SERVER_DATABASES: readonly DatabaseKind[] = ['mariadb', 'postgres'];
