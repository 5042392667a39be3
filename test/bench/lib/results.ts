/** The shape of one bench invocation's results: what the parts return and the report renders. */
import type { BackupCodeResult } from '../parts/backup-codes';
import type { MicroResult } from '../parts/micro';
import type { BenchDatabase, BenchPart, ScaleDatabase } from './config';
import type { StatementPlan } from './explain';
import type { MachineInfo } from './machine';
import type { StampCheckResult } from './stamp-check';

/** Throughput and latency of one HTTP contender, medians over runs. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecondRuns: number[];
  p99MsRuns: number[];
  /** CPU microseconds (user + system) the site process spent per request, median over runs; absent in older results. */
  siteCpuMicrosPerRequest?: number;
  siteCpuMicrosPerRequestRuns?: number[];
}

/** One instance in the paired measurement of part 3: its median latency, over runs and per run. */
export interface PairedFigures {
  medianMs: number;
  runsMs: number[];
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
  /** Whether both instances ran with `TWO_FACTOR_REQUIRED=owners` (S36). Absent in older results: off. */
  policy?: boolean;
  withGuard: LoadFigures;
  withoutGuard: LoadFigures;
  /** Median over runs of (with guard ÷ without guard) requests per second. */
  throughputRatio: number;
  /**
   * Median over runs of (with guard ÷ without guard) site CPU per request: the guard's cost, less
   * exposed than throughput to the load generator and other processes on the same cores. Absent in
   * older results.
   */
  cpuRatio?: number;
  /**
   * The paired measurement, the one the target is checked on: one request at a time to each
   * instance in turn, so all meet the same machine within milliseconds; each instance's median
   * latency (ms) and the medians over runs of the per-run ratios. Absent in older results.
   */
  paired?: {
    requestsPerRun: number;
    withGuard: PairedFigures;
    withoutGuard: PairedFigures;
    withStepUpGuard: PairedFigures;
    withoutGuardTwin: PairedFigures;
    /** Median over runs of (with guard ÷ without guard) median latency: 1 + the guard's overhead. */
    latencyRatio: number;
    stepUpLatencyRatio: number;
    /** The same for the two identical instances without the guard: the method's noise. */
    controlLatencyRatio: number;
  };
  /**
   * The A/A control: a second instance without the guard, measured in the same rounds. Its ratios
   * to the first show how far two identical instances drift apart in one run: the method's noise.
   */
  control?: { withoutGuardTwin: LoadFigures; throughputRatio: number; cpuRatio: number };
  /** SQL statements per request of each instance, counted on sequential requests before the runs. */
  statementsPerRequest: { withGuard: number; withoutGuard: number; withStepUpGuard?: number };
  /** Nanoseconds one call of the guard middleware takes, measured directly on a signed-in context (await included). */
  guardCallNs: number;
  /**
   * The step-up guard (`requireRecentSecondFactor`, S35) in place of the guard, on a session that
   * needs no step-up: its figures, the median of (step-up guard ÷ no guard) requests per second,
   * and its direct cost per call.
   */
  stepUp?: { withStepUpGuard: LoadFigures; throughputRatio: number; cpuRatio?: number; guardCallNs: number };
  /** The session-binding check (S31): the guard called directly without and with `getSecurityStamp`. Measured with the policy off. */
  stampCheck?: StampCheckResult;
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
  /** Successful verifications the site served between the first and the last reading. */
  verifiesServed: number;
  /**
   * The load phase after the measurements (the second step kept busy like `npm run test:load`),
   * and the site's memory after it. Absent in older results.
   */
  load?: { seconds: number; clients: number; verifies: number; rssAfterMiB: number; heapAfterGcAfterMiB: number };
}

/** The Express site's second step beside the Koa site's at one concurrency (part 4). */
export interface ExpressComparisonRow {
  concurrency: number;
  koa: { verifiesPerSecond: number; p50Ms: number; p99Ms: number; siteCpuMs: number };
  express: { verifiesPerSecond: number; p50Ms: number; p99Ms: number; siteCpuMs: number };
  /** Median over runs of Express ÷ Koa verifications per second. */
  ratio: number;
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
  /** The Express site against the Koa site, same database and users; absent in results from before it was measured. */
  express?: ExpressComparisonRow[];
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

/** Second-step figures of one database in the scale part, medians over runs. */
export interface ScaleSideFigures {
  /** Enrolled users (active credentials) and audit rows in the database. */
  users: number;
  auditEvents: number;
  /** Seconds the bulk insert took (logged, not a measurement). */
  populateSeconds: number;
  /** Of those, seconds the credentials took (encrypted in the bench, sent as multi-row INSERTs). Absent in older results. */
  credentialSeconds?: number;
  verifiesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  siteCpuMs: number;
  serverCpuMs?: number;
  /** KiB the server read from storage per verification (median over runs). Absent in older results. */
  serverReadKiB?: number;
  statementsPerVerify: number;
  verifiesPerSecondRuns: number[];
  p99MsRuns: number[];
}

/** The opt-in scale part on one server. */
export interface ScaleDatabaseResult {
  database: ScaleDatabase;
  serverVersion: string;
  serverSettings: string;
  small: ScaleSideFigures;
  large: ScaleSideFigures;
  /** Median over runs of large ÷ small verifications per second. */
  throughputRatio: number;
  /** Median over runs of large ÷ small p99 latency. */
  p99Ratio: number;
  /** The plans of the verify path's statements on the large database. */
  plans: StatementPlan[];
  /** `pruneTwoFactorEvents` on the large database while the second step runs. */
  prune: {
    deleted: number;
    batches: number;
    /** The prune's settings: rows per statement and the pause after each. Absent in older results: 5,000 and 0. */
    batchSize?: number;
    pauseMs?: number;
    seconds: number;
    /** Verifications measured during the prune, and around it (before and after). */
    verifiesDuring: number;
    verifiesWithout: number;
    verifiesPerSecondDuring: number;
    verifiesPerSecondWithout: number;
    p50MsDuring: number;
    p50MsWithout: number;
    p99MsDuring: number;
    p99MsWithout: number;
    /** p99 during ÷ p99 without. */
    p99Ratio: number;
    /** KiB the server read from storage per verification, during (the prune's reads included) and without. Absent in older results. */
    serverReadKiBDuring?: number;
    serverReadKiBWithout?: number;
  };
  /** The large database's site process: retained heap and RSS before the first and after the last measurement. */
  memory: {
    rssStartMiB: number;
    rssEndMiB: number;
    heapAfterGcStartMiB: number;
    heapAfterGcEndMiB: number;
    verifiesServed: number;
  };
  /** Wall-clock seconds of the whole part on this server, bulk inserts included. */
  seconds: number;
}

/** The opt-in scale part: a large database against a small one, EXPLAIN, and a prune under load. */
export interface ScaleResult {
  runs: number;
  concurrency: number;
  /** Successful verifications per database and run (two slices of half). */
  verifiesPerRun: number;
  method: string;
  databases: ScaleDatabaseResult[];
  seconds: number;
}

/** The run one part's figures come from: the report says it beside the part's section. */
export interface PartSource {
  /** When that run started (ISO 8601). */
  startedAt: string;
  /** Seconds the part took in that run. */
  durationSeconds: number;
  runs: number;
  /** Whether that run could publish (see `BenchConfig.writeDocs`). */
  publishable: boolean;
}

/** Everything one invocation produced, or the latest stored results of every part merged. */
export interface BenchResults {
  machine: MachineInfo;
  runs: number;
  durationSeconds: number;
  /** Per part that ran (or was merged from the store), the run it comes from. Absent in older results. */
  sources?: Partial<Record<BenchPart, PartSource>>;
  /** Whether this run may replace docs/performance.md (complete, at least 5 runs, or BENCH_WRITE_DOCS=1). */
  publishable: boolean;
  micro?: MicroResult;
  backup?: BackupCodeResult;
  guard?: GuardResult;
  /** Part 3 again with `TWO_FACTOR_REQUIRED=owners` (S36), side by side with `guard` (policy off). */
  guardWithPolicy?: GuardResult;
  verify?: VerifyResult;
  scale?: ScaleResult;
}
