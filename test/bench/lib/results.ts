/** The shape of one bench invocation's results: what the parts return and the report renders. */
import type { BackupCodeResult } from '../parts/backup-codes';
import type { MicroResult } from '../parts/micro';
import type { BenchDatabase } from './config';
import type { MachineInfo } from './machine';

/** Throughput and latency of one HTTP contender, medians over runs. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecondRuns: number[];
  p99MsRuns: number[];
}

/** Part 3: authenticated GET /clientarea with and without the second-factor guard. */
export interface GuardResult {
  runs: number;
  /** Seconds of one autocannon slice. */
  secondsPerMeasurement: number;
  /** Alternating slice pairs per run. */
  rounds: number;
  connections: number;
  path: string;
  /** How the guard-less twin was built, in one sentence for the report. */
  method: string;
  withGuard: LoadFigures;
  withoutGuard: LoadFigures;
  /** Median over runs of (with guard ÷ without guard) requests per second. */
  throughputRatio: number;
  /** SQL statements per request of each instance, counted on sequential requests before the runs. */
  statementsPerRequest: { withGuard: number; withoutGuard: number };
  /** Nanoseconds one call of the guard middleware takes, measured directly on a signed-in context (await included). */
  guardCallNs: number;
}

/** One contender at one concurrency in part 4. */
export interface VerifyRow {
  /** secondfactor, the passport-totp baseline, or the otplib read-then-write peer. */
  contender: 'ours' | 'baseline' | 'peer';
  concurrency: number;
  verifiesPerSecond: number;
  /** CPU milliseconds the site process spent per verification (user + system), median over runs. */
  siteCpuMs: number;
  /** CPU milliseconds a local MariaDB server spent per verification, median over runs; absent for SQLite (inside the site) or a remote server. */
  serverCpuMs?: number;
  /** Medians over runs of each run's 50th and 99th percentile latency. */
  p50Ms: number;
  p99Ms: number;
  /** Every SQL statement the site ran per successful verification, median over runs. */
  statementsPerVerify: number;
  /** Of those, INSERT, UPDATE and DELETE statements (each one a commit, so a log flush, on MariaDB). */
  writesPerVerify: number;
  /** Of those, the statements of the second-factor store (credentials and backup codes, or the baseline's secret table). */
  secondFactorStatementsPerVerify: number;
  /** Of those, audit-event inserts by the site's `createTypeOrmEventSink` (0 for the baseline, which has no events). */
  auditStatementsPerVerify: number;
  /** Verifications per second of each run. */
  verifiesPerSecondRuns: number[];
  /** Statements per verification by category, median over runs (sessions, users, transaction control, …). */
  statementsByCategory: Record<string, number>;
}

/** Resident memory of the site process. */
export interface MemoryFigures {
  rssBeforeMiB: number;
  rssAfterMiB: number;
  heapUsedBeforeMiB: number;
  heapUsedAfterMiB: number;
  /** The heap that survives a full collection, at the same two moments. */
  heapAfterGcBeforeMiB: number;
  heapAfterGcAfterMiB: number;
  /** The retained heap once warm (after the first run), and the verifications served by then. */
  heapAfterGcAfterFirstRunMiB: number;
  verifiesServedAfterFirstRun: number;
  /** Successful verifications the site served between the two readings. */
  verifiesServed: number;
}

/** Part 4 (and 5) on one database. */
export interface VerifyDatabaseResult {
  database: BenchDatabase;
  serverVersion: string;
  /** Durability settings of the database (what a write costs). */
  serverSettings: string;
  users: number;
  enrollSeconds: number;
  rows: VerifyRow[];
  /** Verifications per timed phase at each concurrency (sized by a calibration). */
  verifiesPerMeasurement: Array<{ concurrency: number; count: number }>;
  /** Median over runs of ours ÷ baseline verifications per second, per concurrency. */
  ratios: Array<{ concurrency: number; ratio: number }>;
  /** Median over runs of ours ÷ the otplib read-then-write peer, per concurrency. */
  peerRatios: Array<{ concurrency: number; ratio: number }>;
  /** One code sent by 20 parallel sessions of one user: how many sign-ins each endpoint accepted. */
  replay: { submissions: number; oursAccepted: number; peerAccepted: number };
  memory: MemoryFigures;
  /** Valid codes the baseline refused (notp does not zero-pad values below 100000), out of its attempts. */
  baselineRefusedValidCodes: { attempts: number; refusedValid: number };
  /** A sample of the statements of one successful verification of each contender, for the report. */
  sampleStatements: { ours: string[]; baseline: string[]; peer: string[] };
}

/** Part 4: what was measured, and per database. */
export interface VerifyResult {
  runs: number;
  /** Target duration of one timed phase. */
  secondsPerMeasurement: number;
  /** One paragraph: what a measured request does. */
  method: string;
  databases: VerifyDatabaseResult[];
}

/** Everything one invocation produced. */
export interface BenchResults {
  machine: MachineInfo;
  runs: number;
  durationSeconds: number;
  /** Whether this run may replace docs/performance.md (complete, at least 5 runs, or BENCH_WRITE_DOCS=1). */
  publishable: boolean;
  micro?: MicroResult;
  backup?: BackupCodeResult;
  guard?: GuardResult;
  verify?: VerifyResult;
}
