/**
 * Benchmark settings, all from the environment so a quick local run and the published run use
 * the same code. The defaults are what `npm run bench` publishes in docs/performance.md.
 */

/** The parts of the bench that can be selected with BENCH_PARTS. */
export const BENCH_PARTS = ['micro', 'backup', 'guard', 'verify', 'scale'] as const;
/** One part of the bench. */
export type BenchPart = (typeof BENCH_PARTS)[number];
/** The parts a run without BENCH_PARTS runs, and a complete run needs: all but the opt-in `scale` (an hour at full size). */
export const DEFAULT_BENCH_PARTS: readonly BenchPart[] = ['micro', 'backup', 'guard', 'verify'];
/** The databases part 4 can run on. */
export const BENCH_DATABASES = ['mysql', 'postgres', 'sqlite'] as const;
/** One database of part 4. */
export type BenchDatabase = (typeof BENCH_DATABASES)[number];
/** The servers the scale part can run on. */
export const SCALE_DATABASES = ['mysql', 'postgres'] as const;
/** One server of the scale part. */
export type ScaleDatabase = (typeof SCALE_DATABASES)[number];

/** Every setting of one bench invocation. */
export interface BenchConfig {
  /** Independent runs per measurement; the report shows their median. BENCH_RUNS, default 5. */
  runs: number;
  /** The parts to run. BENCH_PARTS, default all but `scale`. A run without all the default parts does not overwrite docs/ (see `writeDocs`). */
  parts: BenchPart[];
  /** Whether docs/performance.md and the chart are written: for a complete run of at least 5 runs unless BENCH_WRITE_DOCS=0, or always with BENCH_WRITE_DOCS=1. */
  writeDocs: boolean;
  /** Interleaved rounds per run for parts 1 and 2. BENCH_ROUNDS, default 8. */
  rounds: number;
  /** Target milliseconds per timed batch in parts 1 and 2. BENCH_BATCH_MS, default 25. */
  batchMs: number;
  /** Seconds per autocannon slice in part 3. BENCH_GUARD_SECONDS, default 1. */
  guardSeconds: number;
  /** Alternating slice pairs (with, without) per run in part 3. BENCH_GUARD_ROUNDS, default 5. */
  guardRounds: number;
  /** Connections autocannon keeps open in part 3. BENCH_GUARD_CONNECTIONS, default 16. */
  guardConnections: number;
  /** Users enrolled for part 4. BENCH_USERS, default 10000. */
  users: number;
  /** Target seconds of one timed phase in part 4. BENCH_VERIFY_SECONDS, default 3. */
  verifySeconds: number;
  /** The most successful verifications one measurement of part 4 may use. BENCH_MAX_VERIFIES, default 2000. */
  maxVerifiesPerMeasurement: number;
  /** Concurrent clients in part 4. BENCH_CONCURRENCY, default 1,8,32. */
  concurrency: number[];
  /** Databases for part 4. BENCH_DATABASES, default mysql,postgres,sqlite. */
  databases: BenchDatabase[];
  /** Users enrolled in the large database of the scale part. BENCH_SCALE_USERS, default 1000000. */
  scaleUsers: number;
  /** Audit rows in the large database of the scale part, half of them older than the prune's cut. BENCH_SCALE_EVENTS, default 10000000. */
  scaleEvents: number;
  /** Users enrolled in the small database of the scale part. BENCH_SCALE_SMALL_USERS, default 1000. */
  scaleSmallUsers: number;
  /** Concurrent clients of the scale part (and of the prune under load). BENCH_SCALE_CONCURRENCY, default 8. */
  scaleConcurrency: number;
  /** Servers of the scale part. BENCH_SCALE_DATABASES, default mysql,postgres. */
  scaleDatabases: ScaleDatabase[];
  /** The MariaDB server URL; the bench creates and drops its own database there. MYSQL_URL. */
  mysqlUrl: string;
  /** The PostgreSQL server URL; the bench creates and drops its own database there. POSTGRES_URL. */
  postgresUrl: string;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  return value;
}

function list<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: readonly T[],
): T[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const values = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const value of values)
    if (!allowed.includes(value as T))
      throw new Error(`${name}: unknown "${value}"; expected some of ${allowed.join(', ')}.`);
  return allowed.filter((a) => values.includes(a));
}

/**
 * Reads the settings from the environment, failing fast on a bad value.
 */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const parts = list(env, 'BENCH_PARTS', BENCH_PARTS, DEFAULT_BENCH_PARTS);
  const databases = list(env, 'BENCH_DATABASES', BENCH_DATABASES, BENCH_DATABASES);
  const runs = integer(env, 'BENCH_RUNS', 5, 1, 100);
  // Only a complete run with at least 5 runs per figure replaces the published page by default.
  // The opt-in scale part is not needed for that, and may come with it.
  const complete =
    DEFAULT_BENCH_PARTS.every((part) => parts.includes(part)) &&
    databases.length === BENCH_DATABASES.length &&
    runs >= 5;
  const concurrencyRaw = env.BENCH_CONCURRENCY?.trim() ? env.BENCH_CONCURRENCY : '1,8,32';
  const concurrency = concurrencyRaw.split(',').map((s) => Number(s.trim()));
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 256))
    throw new Error(`BENCH_CONCURRENCY must list integers from 1 to 256, got "${concurrencyRaw}".`);
  return {
    runs,
    parts,
    writeDocs: env.BENCH_WRITE_DOCS === '1' || (complete && env.BENCH_WRITE_DOCS !== '0'),
    rounds: integer(env, 'BENCH_ROUNDS', 8, 1, 1000),
    batchMs: integer(env, 'BENCH_BATCH_MS', 25, 1, 10_000),
    guardSeconds: integer(env, 'BENCH_GUARD_SECONDS', 1, 1, 600),
    guardRounds: integer(env, 'BENCH_GUARD_ROUNDS', 5, 1, 100),
    guardConnections: integer(env, 'BENCH_GUARD_CONNECTIONS', 16, 1, 1000),
    users: integer(env, 'BENCH_USERS', 10_000, 10, 1_000_000),
    verifySeconds: integer(env, 'BENCH_VERIFY_SECONDS', 3, 1, 600),
    maxVerifiesPerMeasurement: integer(env, 'BENCH_MAX_VERIFIES', 2000, 10, 1_000_000),
    concurrency,
    databases,
    scaleUsers: integer(env, 'BENCH_SCALE_USERS', 1_000_000, 100, 100_000_000),
    scaleEvents: integer(env, 'BENCH_SCALE_EVENTS', 10_000_000, 0, 1_000_000_000),
    scaleSmallUsers: integer(env, 'BENCH_SCALE_SMALL_USERS', 1000, 100, 1_000_000),
    scaleConcurrency: integer(env, 'BENCH_SCALE_CONCURRENCY', 8, 1, 256),
    scaleDatabases: list(env, 'BENCH_SCALE_DATABASES', SCALE_DATABASES, SCALE_DATABASES),
    mysqlUrl: env.MYSQL_URL?.trim() || 'mysql://root@127.0.0.1:3306/test',
    postgresUrl: env.POSTGRES_URL?.trim() || 'postgres://root@127.0.0.1:5432/test',
  };
}
