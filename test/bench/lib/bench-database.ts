/**
 * The bench's own databases: one `sf_bench_<random>` database per use on the MariaDB or
 * PostgreSQL server, or a temporary SQLite file, each dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Client as PostgresClient } from 'pg';
import type { BenchDatabase } from './config';
import { localServerCpuReader, localServerReadBytesReader } from './server-process';

/** A database of the bench's own on one server, dropped at the end. */
export interface DatabaseHandle {
  url: string;
  version: string;
  /** The durability settings that decide what a write costs. */
  settings: string;
  config: { type: 'mysql' | 'postgres'; url: string } | { type: 'sqlite'; file: string };
  /** The server's CPU time in ms, when it runs on this machine (MariaDB, PostgreSQL); SQLite runs inside the site. */
  serverCpu?: () => number;
  /** The bytes the server has read from storage, when it runs on this machine and `/proc` lets us see. */
  serverReadBytes?: () => number;
  drop(): Promise<void>;
}

/** Where the servers are, and where a SQLite file may go. */
export interface DatabaseServers {
  mysqlUrl: string;
  postgresUrl: string;
  tmpDir: string;
}

/** What every part that measures on a database is given: the servers, its runs and the log. */
export interface DatabasePartOptions extends DatabaseServers {
  /** Independent runs; the report shows their median. */
  runs: number;
  log: (line: string) => void;
}

/**
 * Creates a database `sf_bench_<random>` on the MariaDB or PostgreSQL server (or a temporary
 * SQLite file) and describes it: version, durability settings, the server's CPU reader.
 */
export async function openDatabase(kind: BenchDatabase, options: DatabaseServers): Promise<DatabaseHandle> {
  if (kind === 'mysql') {
    const admin = await createConnection(options.mysqlUrl).catch((error: unknown) => {
      throw new Error(
        `bench: cannot reach MariaDB at MYSQL_URL (${options.mysqlUrl.replace(/:[^:@/]*@/, ':***@')}): ${error instanceof Error ? error.message : String(error)}. Start it, or run BENCH_DATABASES=sqlite.`,
      );
    });
    const name = `sf_bench_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [rows] = await admin.query(
      'SELECT VERSION() AS v, @@innodb_flush_log_at_trx_commit AS f, @@innodb_buffer_pool_size AS b, @@innodb_flush_method AS m',
    );
    const settings = rows as Array<{ v: string; f: number | string; b: number | string; m: string }>;
    const url = new URL(options.mysqlUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      version: `MariaDB ${String(settings[0].v)}`,
      settings: `innodb_flush_log_at_trx_commit=${settings[0].f} (every commit is flushed to disk), innodb_buffer_pool_size=${Math.round(Number(settings[0].b) / 2 ** 20)} MiB, innodb_flush_method=${settings[0].m}${settings[0].m === 'O_DIRECT' ? ' (pages the buffer pool does not hold are read from storage, not from the OS cache)' : ''}`,
      serverCpu: localServerCpuReader(options.mysqlUrl),
      serverReadBytes: localServerReadBytesReader(options.mysqlUrl),
      config: { type: 'mysql', url: url.toString() },
      async drop() {
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      },
    };
  }
  if (kind === 'postgres') return openPostgres(options.postgresUrl);
  const dir = path.join(options.tmpDir, `verify-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'site.sqlite');
  const probe = new Database(':memory:');
  const version = String((probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v);
  probe.close();
  return {
    url: `sqlite:${file}`,
    version: `SQLite ${version}`,
    settings: '',
    config: { type: 'sqlite', file },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database of its own on the PostgreSQL server at `serverUrl`, dropped at the end. */
async function openPostgres(serverUrl: string): Promise<DatabaseHandle> {
  const admin = new PostgresClient({ connectionString: serverUrl });
  await admin.connect().catch((error: unknown) => {
    throw new Error(
      `bench: cannot reach PostgreSQL at POSTGRES_URL (${serverUrl.replace(/:[^:@/]*@/, ':***@')}): ${error instanceof Error ? error.message : String(error)}. Start it, or leave postgres out of BENCH_DATABASES.`,
    );
  });
  const name = `sf_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const { rows } = await admin.query<{ version: string; commit: string; fsync: string; buffers: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS commit, current_setting('fsync') AS fsync, current_setting('shared_buffers') AS buffers",
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version: `PostgreSQL ${rows[0].version}`,
    settings: `synchronous_commit=${rows[0].commit}, fsync=${rows[0].fsync} (every commit waits for its WAL flush), shared_buffers=${rows[0].buffers}`,
    serverCpu: localServerCpuReader(serverUrl),
    serverReadBytes: localServerReadBytesReader(serverUrl),
    config: { type: 'postgres', url: url.toString() },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
