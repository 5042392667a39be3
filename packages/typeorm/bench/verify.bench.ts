/**
 * Benchmark of a successful TOTP verify through TwoFactorService over TypeOrmTwoFactorStore: the
 * median wall time per verify and the SQL statements each issues, on SQLite (better-sqlite3, a temp
 * file), on MariaDB (MYSQL_URL) and on PostgreSQL (POSTGRES_URL), each server in a scratch database
 * that is dropped afterwards.
 *
 *   npm run build && MYSQL_URL=mysql://root@127.0.0.1:3306/test POSTGRES_URL=postgres://root@127.0.0.1:5432/test \
 *     npx tsx packages/typeorm/bench/verify.bench.ts [iterations]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { base32Decode, generateTotp, Keyring, TwoFactorService } from '@secondfactor/core';
import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import { twoFactorEntities, twoFactorMigrations, TypeOrmTwoFactorStore } from '../src';

const START_MS = Date.UTC(2030, 0, 1);
const ITERATIONS = Number(process.argv[2] ?? 500);

/** Counts statements while `counting` is on. */
class StatementCounter implements Logger {
  counting = false;
  count = 0;
  logQuery(): void {
    if (this.counting) this.count += 1;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

interface BenchResult {
  database: string;
  medianMs: number;
  p95Ms: number;
  statementsPerVerify: number;
}

async function bench(label: string, options: DataSourceOptions): Promise<BenchResult> {
  const counter = new StatementCounter();
  const dataSource = new DataSource({
    ...options,
    entities: [...twoFactorEntities],
    migrations: [...twoFactorMigrations],
    logger: counter,
    logging: ['query'],
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    const now = { ms: START_MS };
    const service = new TwoFactorService({
      store: new TypeOrmTwoFactorStore(dataSource),
      keyring: Keyring.parse(`k1:${randomBytes(32).toString('base64')}`),
      issuer: 'Bench',
      verifyPassword: () => true,
      clock: () => new Date(now.ms),
    });
    const userId = 'bench-user';
    const start = await service.beginEnrollment({ userId, accountName: 'bench@example.com' });
    if (!start.ok) throw start.error;
    const secret = base32Decode(start.secret) as Buffer;
    const confirmed = await service.confirmEnrollment({ userId, code: generateTotp({ secret, timeMs: now.ms }) });
    if (!confirmed.ok) throw confirmed.error;
    // Every success consumes its step, so each iteration is one step later; codes are made up front.
    const codes = Array.from({ length: ITERATIONS }, (_, i) =>
      generateTotp({ secret, timeMs: START_MS + (i + 1) * 30_000 }),
    );
    const times: number[] = [];
    counter.count = 0;
    counter.counting = true;
    for (let i = 0; i < ITERATIONS; i++) {
      now.ms = START_MS + (i + 1) * 30_000;
      const started = performance.now();
      const outcome = await service.verifyCode({ userId, code: codes[i] });
      times.push(performance.now() - started);
      if (!outcome.ok) throw new Error(`verify ${i} failed: ${outcome.error.code}`);
    }
    counter.counting = false;
    times.sort((a, b) => a - b);
    return {
      database: label,
      medianMs: times[Math.floor(times.length / 2)],
      p95Ms: times[Math.floor(times.length * 0.95)],
      statementsPerVerify: counter.count / ITERATIONS,
    };
  } finally {
    await dataSource.destroy();
  }
}

async function benchSqlite(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-typeorm-bench-'));
  try {
    return await bench('SQLite (better-sqlite3, file)', {
      type: 'better-sqlite3',
      database: join(dir, 'bench.sqlite'),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchMariaDb(): Promise<BenchResult | null> {
  if (!process.env.MYSQL_URL) {
    console.log('MariaDB: skipped (set MYSQL_URL=mysql://root@127.0.0.1:3306/test to include it)');
    return null;
  }
  const url = new URL(process.env.MYSQL_URL);
  const base = {
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username) || 'root',
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
  const admin = new DataSource({
    type: 'mysql',
    ...base,
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
  });
  await admin.initialize();
  const name = `sf_typeorm_bench_${randomBytes(4).toString('hex')}`;
  try {
    const [{ version }] = (await admin.query('SELECT VERSION() AS version')) as { version: string }[];
    const type = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    return await bench(`${type === 'mariadb' ? 'MariaDB' : 'MySQL'} ${version} (mysql2)`, {
      type,
      ...base,
      database: name,
      timezone: 'Z',
      poolSize: 10,
    });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  }
}

async function benchPostgres(): Promise<BenchResult | null> {
  if (!process.env.POSTGRES_URL) {
    console.log('PostgreSQL: skipped (set POSTGRES_URL=postgres://root@127.0.0.1:5432/test to include it)');
    return null;
  }
  const url = new URL(process.env.POSTGRES_URL);
  const base = {
    type: 'postgres' as const,
    host: url.hostname,
    port: Number(url.port || 5432),
    username: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
  const admin = new DataSource({ ...base, database: decodeURIComponent(url.pathname.slice(1)), poolSize: 1 });
  await admin.initialize();
  const name = `sf_typeorm_bench_${randomBytes(4).toString('hex')}`;
  try {
    const [{ server_version: version }] = (await admin.query('SHOW server_version')) as { server_version: string }[];
    await admin.query(`CREATE DATABASE "${name}"`);
    return await bench(`PostgreSQL ${version} (pg)`, { ...base, database: name, poolSize: 10 });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.destroy();
  }
}

async function main(): Promise<void> {
  console.log(
    `Successful TOTP verify through TwoFactorService + TypeOrmTwoFactorStore, ${ITERATIONS} sequential verifies each`,
  );
  const results = [await benchSqlite(), await benchMariaDb(), await benchPostgres()].filter(
    (r): r is BenchResult => r !== null,
  );
  for (const r of results) {
    console.log(
      `${r.database}: median ${r.medianMs.toFixed(3)} ms, p95 ${r.p95Ms.toFixed(3)} ms per verify, ` +
        `${r.statementsPerVerify} SQL statements per verify`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
