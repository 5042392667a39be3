/**
 * Benchmark settings, all from the environment so a quick local run and the published run use
 * the same code. The defaults are what `npm run bench` publishes in docs/performance.md.
 */

/** The parts of the bench that can be selected with BENCH_PARTS. */
export const BENCH_PARTS = ['micro', 'backup', 'guard', 'verify', 'scale'] as const;
/** One part of the bench. */
export type BenchPart = (typeof BENCH_PARTS)[number];
/** The parts a run without BENCH_PARTS runs, and a complete run needs: all but the opt-in `scale` (about 40 minutes at full size on 2 cores). */
export const DEFAULT_BENCH_PARTS: readonly BenchPart[] = ['micro', 'backup', 'guard', 'verify'];
/** The databases part 4 can run on. */
export const BENCH_DATABASES = ['mysql', 'postgres', 'sqlite'] as const;
/** One database of part 4. */
export type BenchDatabase = (typeof BENCH_DATABASES)[number];
/** The servers the scale part can run on. */
export const SCALE_DATABASES = ['mysql', 'postgres'] as const;
/** One server of the scale part. */
export type ScaleDatabase = (typeof SCALE_DATABASES)[number];

/** The scale part's published sizes: users and audit rows of the large database, users of the small one. */
export const DEFAULT_SCALE_SIZES = { users: 1_000_000, events: 10_000_000, smallUsers: 1000 } as const;

/** The prune settings @secondfactor/typeorm documents for a database that serves sign-ins meanwhile. */
export const PRUNE_UNDER_LOAD = { batchSize: 1000, pauseMs: 100 } as const;

/** Every setting of one bench invocation. */
export interface BenchConfig {
  /** Independent runs per measurement; the report shows their median. BENCH_RUNS, default 5. */
  runs: number;
  /** The parts to run. BENCH_PARTS, default all but `scale`. The page keeps the last stored results of the parts not run. */
  parts: BenchPart[];
  /**
   * Whether the parts' results go to the published store (docs/performance/) and the page is
   * written again: for at least 5 runs, part 4 (if selected) on every database and the scale part
   * (if selected) at its full size on both servers, unless BENCH_WRITE_DOCS=0; always with
   * BENCH_WRITE_DOCS=1. Otherwise they go to test/.tmp/bench/.
   */
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
  /** Seconds of part 5's load phase (the second step at 32 clients before the last memory reading). BENCH_MEMORY_LOAD_SECONDS, default 60. */
  memoryLoadSeconds: number;
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
  /**
   * The settings of the scale part's prune under load: rows per statement and the pause after
   * each. BENCH_PRUNE_BATCH_SIZE and BENCH_PRUNE_PAUSE_MS, default 1000 and 100: what the package
   * documents for a prune while users sign in.
   */
  prune: { batchSize: number; pauseMs: number };
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
  // Each part's results are stored on their own and the page merges the latest of every part, so
  // a run of some parts may publish them: with at least 5 runs, part 4 on every database, and the
  // scale part at its full size on both servers with the documented prune settings.
  const scaleSizes = {
    users: integer(env, 'BENCH_SCALE_USERS', DEFAULT_SCALE_SIZES.users, 100, 100_000_000),
    events: integer(env, 'BENCH_SCALE_EVENTS', DEFAULT_SCALE_SIZES.events, 0, 1_000_000_000),
    smallUsers: integer(env, 'BENCH_SCALE_SMALL_USERS', DEFAULT_SCALE_SIZES.smallUsers, 100, 1_000_000),
  };
  const prune = {
    batchSize: integer(env, 'BENCH_PRUNE_BATCH_SIZE', PRUNE_UNDER_LOAD.batchSize, 1, 50_000),
    pauseMs: integer(env, 'BENCH_PRUNE_PAUSE_MS', PRUNE_UNDER_LOAD.pauseMs, 0, 60_000),
  };
  const scaleDatabases = list(env, 'BENCH_SCALE_DATABASES', SCALE_DATABASES, SCALE_DATABASES);
  const fullSize =
    (!parts.includes('verify') || databases.length === BENCH_DATABASES.length) &&
    (!parts.includes('scale') ||
      (scaleDatabases.length === SCALE_DATABASES.length &&
        scaleSizes.users === DEFAULT_SCALE_SIZES.users &&
        scaleSizes.events === DEFAULT_SCALE_SIZES.events &&
        scaleSizes.smallUsers === DEFAULT_SCALE_SIZES.smallUsers &&
        prune.batchSize === PRUNE_UNDER_LOAD.batchSize &&
        prune.pauseMs === PRUNE_UNDER_LOAD.pauseMs));
  const publishable = fullSize && runs >= 5;
  const concurrencyRaw = env.BENCH_CONCURRENCY?.trim() ? env.BENCH_CONCURRENCY : '1,8,32';
  const concurrency = concurrencyRaw.split(',').map((s) => Number(s.trim()));
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 256))
    throw new Error(`BENCH_CONCURRENCY must list integers from 1 to 256, got "${concurrencyRaw}".`);
  return {
    runs,
    parts,
    writeDocs: env.BENCH_WRITE_DOCS === '1' || (publishable && env.BENCH_WRITE_DOCS !== '0'),
    rounds: integer(env, 'BENCH_ROUNDS', 8, 1, 1000),
    batchMs: integer(env, 'BENCH_BATCH_MS', 25, 1, 10_000),
    guardSeconds: integer(env, 'BENCH_GUARD_SECONDS', 1, 1, 600),
    guardRounds: integer(env, 'BENCH_GUARD_ROUNDS', 5, 1, 100),
    guardConnections: integer(env, 'BENCH_GUARD_CONNECTIONS', 16, 1, 1000),
    users: integer(env, 'BENCH_USERS', 10_000, 10, 1_000_000),
    verifySeconds: integer(env, 'BENCH_VERIFY_SECONDS', 3, 1, 600),
    maxVerifiesPerMeasurement: integer(env, 'BENCH_MAX_VERIFIES', 2000, 10, 1_000_000),
    concurrency,
    memoryLoadSeconds: integer(env, 'BENCH_MEMORY_LOAD_SECONDS', 60, 1, 3600),
    databases,
    scaleUsers: scaleSizes.users,
    scaleEvents: scaleSizes.events,
    scaleSmallUsers: scaleSizes.smallUsers,
    scaleConcurrency: integer(env, 'BENCH_SCALE_CONCURRENCY', 8, 1, 256),
    scaleDatabases,
    prune,
    mysqlUrl: env.MYSQL_URL?.trim() || 'mysql://root@127.0.0.1:3306/test',
    postgresUrl: env.POSTGRES_URL?.trim() || 'postgres://root@127.0.0.1:5432/test',
  };
}
