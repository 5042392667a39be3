/**
 * Part 6, opt-in (`BENCH_PARTS=scale`): does the second step stay fast as data grows? On each
 * server, a large database (by default 1,000,000 enrolled users and 10,000,000 audit rows) and a
 * small one (1,000 users), each behind its own site process, measured interleaved A B B A; the
 * plans of the verify path's statements on the large database; and `pruneTwoFactorEvents`
 * deleting half the audit rows while the second step runs.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pruneTwoFactorEvents } from '@secondfactor/typeorm';
import type { DataSource } from 'typeorm';
import { openDatabase, type DatabaseHandle, type DatabasePartOptions } from '../lib/bench-database';
import { onInterrupt } from '../lib/cleanup';
import type { ScaleDatabase } from '../lib/config';
import { explainStatements, type StatementPlan } from '../lib/explain';
import type { ScaleDatabaseResult, ScaleResult, ScaleSideFigures } from '../lib/results';
import { CREDENTIAL_CHUNK, EVENT_SPAN_DAYS, populate } from '../lib/scale-population';
import { SiteChild } from '../lib/site-child';
import { median } from '../lib/stats';
import {
  combine,
  measureSlice,
  preparePending,
  UserPicker,
  verifyAll,
  type Endpoint,
  type Measurement,
  type Slice,
} from '../lib/verify-http';
import { createDataSource, EXAMPLE, hashPassword } from '../site/example';
import type { CapturedStatement } from '../site/statement-counter';

const MiB = 2 ** 20;
const DAY_SECONDS = 86_400;
/** The large database's measured users: a sample spread over its whole id range. */
const LARGE_SAMPLE = 20_000;
/** Verifications per slice while the prune runs, and the seconds measured before and after it. */
const PRUNE_SLICE = 200;
const PRUNE_WITHOUT_SECONDS = 60;
const OURS: Endpoint = { label: 'second step', path: EXAMPLE.challenge };

/** What the scale part needs to know. */
export interface ScaleOptions extends DatabasePartOptions {
  users: number;
  events: number;
  smallUsers: number;
  concurrency: number;
  /** The most verifications one run of one database may use. */
  maxVerifiesPerRun: number;
  /** The prune's settings: rows per statement and the pause after each. */
  prune: { batchSize: number; pauseMs: number };
  databases: ScaleDatabase[];
}

/** The method paragraph of the report. */
export const SCALE_METHOD = [
  `Two databases on the same server, each behind its own site process built like part 4's (\`createApp\`, the bench routes, a statement counter): a **large** one and a **small** one. Users are inserted server-side (\`INSERT … SELECT\` from MariaDB's \`seq_1_to_N\` or PostgreSQL's \`generate_series\`), each with an active credential whose secret \`SecretCipher\` encrypts under the site's key, bound to the user and the credential (S6), inserted from the bench ${CREDENTIAL_CHUNK.toLocaleString('en-US')} at a time, two statements in flight (MariaDB: a multi-row \`INSERT … VALUES\`; PostgreSQL: one \`INSERT … SELECT\` from \`unnest\` of three arrays), in the order of their random ids so each statement appends to the primary key; both get the same number of audit rows per user (10 at the default sizes), inserted server-side, spread evenly over the ${EVENT_SPAN_DAYS} days before the insert (a tenth \`code.failed\`, the rest \`code.verified\`, over all users), the secondary indexes of the credentials and audit tables are built once after the insert rather than row by row, then both databases are analysed. The bulk insert is timed and shown below; it is not a target.`,
  '',
  "Each run measures the second step (`POST /login/two-factor` with a fresh valid code, as in part 4) on both sites, interleaved A B B A in slices of half the run's count (which goes first alternates between runs). The small database's users limit a run: every code is used once, so a run takes one 30-second step. On the large database the measured users are a sample of 20,000 spread over the whole id range.",
  '',
  `Then, on the large database: one verification with its statements captured together with their parameters (inside the bench only; they are never printed), each statement planned with \`EXPLAIN\` (MariaDB) or \`EXPLAIN (FORMAT TEXT)\` (PostgreSQL), neither of which executes it; and \`pruneTwoFactorEvents\` with the cut at 400 days (half the audit rows), run from the bench's own connection like a scheduled job, while the second step keeps running in slices of 200 at the same concurrency, with ${PRUNE_WITHOUT_SECONDS} seconds of the same slices before it and ${PRUNE_WITHOUT_SECONDS} after it as the figures without.`,
].join('\n');

/** One database of the comparison: its handle, site, bench connection and users. */
interface Side {
  label: 'small' | 'large';
  db: DatabaseHandle;
  site: SiteChild;
  dataSource: DataSource;
  picker: UserPicker;
  users: number;
  events: number;
  populateSeconds: number;
  credentialSeconds: number;
}

/** KiB per verification for the log, or "–" when the server's reads are not visible. */
function kib(value: number | undefined): string {
  return value === undefined ? '–' : `${value.toFixed(1)} KiB/verify`;
}

function figures(side: Side, runs: Measurement[], perRun: number): ScaleSideFigures {
  return {
    users: side.users,
    auditEvents: side.events,
    populateSeconds: side.populateSeconds,
    credentialSeconds: side.credentialSeconds,
    verifiesPerSecond: median(runs.map((m) => m.verifiesPerSecond)),
    p50Ms: median(runs.map((m) => m.p50Ms)),
    p99Ms: median(runs.map((m) => m.p99Ms)),
    siteCpuMs: median(runs.map((m) => m.siteCpuMs)),
    // A PostgreSQL backend that exits during a slice (a pool closing an idle connection) takes its
    // CPU time out of the sum of the server's processes: a negative reading means "unknown".
    serverCpuMs: runs.every((m) => m.serverCpuMs !== undefined && m.serverCpuMs >= 0)
      ? median(runs.map((m) => m.serverCpuMs ?? 0))
      : undefined,
    serverReadKiB: runs.every((m) => m.serverReadKiB !== undefined && m.serverReadKiB >= 0)
      ? median(runs.map((m) => m.serverReadKiB ?? 0))
      : undefined,
    statementsPerVerify: median(runs.map((m) => m.statements.total / perRun)),
    verifiesPerSecondRuns: runs.map((m) => m.verifiesPerSecond),
    p99MsRuns: runs.map((m) => m.p99Ms),
  };
}

/** The statements of one verification on `side`, with their parameters (for EXPLAIN only). */
async function captureVerifyPath(side: Side, token: string): Promise<CapturedStatement[]> {
  const prepared = await preparePending(side.site.ports.site, token, await side.picker.pick(1));
  await side.site.request('capture-parameters-start');
  await verifyAll(side.site.ports.site, OURS, prepared, 1);
  // The audit row is written up to AUDIT_BATCH_MS later: let it land inside the capture.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { statements } = await side.site.request<{ statements: CapturedStatement[] }>('capture-parameters-stop');
  return statements;
}

async function openSide(
  kind: ScaleDatabase,
  label: Side['label'],
  counts: { users: number; events: number; sample: number },
  common: { keys: string; token: string; passwordHash: string; dataDir: string },
  options: ScaleOptions,
  opened: Array<{ db: DatabaseHandle; site?: SiteChild; dataSource?: DataSource }>,
): Promise<Side> {
  const db = await openDatabase(kind, options);
  const entry: { db: DatabaseHandle; site?: SiteChild; dataSource?: DataSource } = { db };
  opened.push(entry);
  entry.site = await SiteChild.start({
    BENCH_SITE_MODE: 'verify',
    BENCH_TOKEN: common.token,
    BENCH_PASSWORD_HASH: common.passwordHash,
    DATABASE_URL: db.url,
    DATA_DIR: path.join(common.dataDir, label),
    SECONDFACTOR_KEYS: common.keys,
    SESSION_KEYS: randomBytes(32).toString('base64'),
  });
  entry.dataSource = createDataSource(db.config);
  await entry.dataSource.initialize();
  const { users, seconds, credentialSeconds } = await populate(
    entry.dataSource,
    kind,
    { ...counts, keys: common.keys, passwordHash: common.passwordHash, label },
    options.log,
  );
  options.log(
    `scale ${kind} ${label}: ${counts.users} users and ${counts.events} audit rows inserted in ${seconds.toFixed(1)} s`,
  );
  return {
    label,
    db,
    site: entry.site,
    dataSource: entry.dataSource,
    picker: new UserPicker(users, options.log),
    users: counts.users,
    events: counts.events,
    populateSeconds: seconds,
    credentialSeconds,
  };
}

async function runOnServer(kind: ScaleDatabase, options: ScaleOptions): Promise<ScaleDatabaseResult> {
  const started = Date.now();
  const common = {
    keys: `bench:${randomBytes(32).toString('base64')}`,
    token: randomBytes(16).toString('hex'),
    passwordHash: await hashPassword('bench-password-long-enough'),
    dataDir: path.join(options.tmpDir, `scale-data-${randomBytes(4).toString('hex')}`),
  };
  const opened: Array<{ db: DatabaseHandle; site?: SiteChild; dataSource?: DataSource }> = [];
  const cleanUp = async (): Promise<void> => {
    for (const { db, site, dataSource } of opened) {
      await site?.stop();
      if (dataSource?.isInitialized) await dataSource.destroy();
      await db.drop();
    }
    rmSync(common.dataDir, { recursive: true, force: true });
  };
  const registered = onInterrupt(cleanUp);
  try {
    const small = await openSide(
      kind,
      'small',
      // The same audit rows per user as the large one.
      {
        users: options.smallUsers,
        events: Math.round((options.events * options.smallUsers) / options.users),
        sample: options.smallUsers,
      },
      common,
      options,
      opened,
    );
    const large = await openSide(
      kind,
      'large',
      { users: options.users, events: options.events, sample: Math.min(options.users, LARGE_SAMPLE) },
      common,
      options,
      opened,
    );
    const { serverCpu, serverReadBytes } = small.db;
    const start = await large.site.request<{ rss: number; heapAfterGc: number }>('memory');
    const count = Math.max(2, Math.min(options.maxVerifiesPerRun, options.smallUsers));
    const half = Math.max(1, Math.round(count / 2));
    const slice = (side: Side, n: number): Promise<Slice> =>
      measureSlice({
        site: side.site,
        token: common.token,
        picker: side.picker,
        endpoint: OURS,
        concurrency: options.concurrency,
        count: n,
        serverCpu,
        serverReadBytes,
      });
    let served = 0;
    // Warm-up, discarded: the JIT, the pools, the database caches.
    for (const side of [small, large]) await slice(side, half);
    served += half;

    const runs: Record<Side['label'], Measurement[]> = { small: [], large: [] };
    for (let run = 0; run < options.runs; run++) {
      const order = run % 2 === 0 ? [small, large] : [large, small];
      const slices: Record<Side['label'], Slice[]> = { small: [], large: [] };
      for (const side of [...order, ...[...order].reverse()]) slices[side.label].push(await slice(side, half));
      served += 2 * half;
      runs.small.push(combine(slices.small));
      runs.large.push(combine(slices.large));
      const [s, l] = [runs.small[run], runs.large[run]];
      options.log(
        `scale ${kind} run ${run + 1}/${options.runs}: small ${Math.round(s.verifiesPerSecond)}/s p99 ${s.p99Ms.toFixed(1)} ms reads ${kib(s.serverReadKiB)}, large ${Math.round(l.verifiesPerSecond)}/s p99 ${l.p99Ms.toFixed(1)} ms reads ${kib(l.serverReadKiB)}`,
      );
    }

    const plans: StatementPlan[] = await explainStatements(
      large.dataSource,
      await captureVerifyPath(large, common.token),
    );
    served += 1;
    const scans = plans.filter((p) => p.fullScan).length;
    options.log(`scale ${kind}: ${plans.length} statements planned, ${scans} with a full scan`);

    // The prune under load: slices before, during and after.
    const without: Slice[] = [];
    const sliceFor = async (seconds: number): Promise<void> => {
      const until = Date.now() + seconds * 1000;
      do without.push(await slice(large, PRUNE_SLICE));
      while (Date.now() < until);
    };
    await sliceFor(PRUNE_WITHOUT_SECONDS);
    const cut = new Date(Date.now() - (EVENT_SPAN_DAYS / 2) * DAY_SECONDS * 1000);
    let pruning = true;
    const pruneStarted = Date.now();
    const pruned = pruneTwoFactorEvents(large.dataSource, { olderThan: cut, ...options.prune }).finally(() => {
      pruning = false;
    });
    const during: Slice[] = [];
    while (pruning) during.push(await slice(large, PRUNE_SLICE));
    const { deleted, batches } = await pruned;
    const pruneSeconds = (Date.now() - pruneStarted) / 1000;
    await sliceFor(PRUNE_WITHOUT_SECONDS);
    served += PRUNE_SLICE * (without.length + during.length);
    const duringAll = combine(during);
    const withoutAll = combine(without);
    options.log(
      `scale ${kind}: pruned ${deleted} audit rows in ${batches} batches, ${pruneSeconds.toFixed(1)} s; p99 ${duringAll.p99Ms.toFixed(1)} ms during, ${withoutAll.p99Ms.toFixed(1)} ms without; server reads ${kib(duringAll.serverReadKiB)} during, ${kib(withoutAll.serverReadKiB)} without`,
    );
    const end = await large.site.request<{ rss: number; heapAfterGc: number }>('memory');

    return {
      database: kind,
      serverVersion: small.db.version,
      serverSettings: small.db.settings,
      small: figures(small, runs.small, 2 * half),
      large: figures(large, runs.large, 2 * half),
      throughputRatio: median(runs.large.map((m, i) => m.verifiesPerSecond / runs.small[i].verifiesPerSecond)),
      p99Ratio: median(runs.large.map((m, i) => m.p99Ms / runs.small[i].p99Ms)),
      plans,
      prune: {
        deleted,
        batches,
        batchSize: options.prune.batchSize,
        pauseMs: options.prune.pauseMs,
        seconds: pruneSeconds,
        verifiesDuring: during.reduce((n, s) => n + s.successes, 0),
        verifiesWithout: without.reduce((n, s) => n + s.successes, 0),
        verifiesPerSecondDuring: duringAll.verifiesPerSecond,
        verifiesPerSecondWithout: withoutAll.verifiesPerSecond,
        p50MsDuring: duringAll.p50Ms,
        p50MsWithout: withoutAll.p50Ms,
        p99MsDuring: duringAll.p99Ms,
        p99MsWithout: withoutAll.p99Ms,
        p99Ratio: duringAll.p99Ms / withoutAll.p99Ms,
        serverReadKiBDuring: duringAll.serverReadKiB,
        serverReadKiBWithout: withoutAll.serverReadKiB,
      },
      memory: {
        rssStartMiB: start.rss / MiB,
        rssEndMiB: end.rss / MiB,
        heapAfterGcStartMiB: start.heapAfterGc / MiB,
        heapAfterGcEndMiB: end.heapAfterGc / MiB,
        verifiesServed: served,
      },
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    registered();
    await cleanUp();
  }
}

/**
 * Runs the scale part on each selected server in turn.
 */
export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const databases: ScaleDatabaseResult[] = [];
  for (const kind of options.databases) databases.push(await runOnServer(kind, options));
  return {
    runs: options.runs,
    concurrency: options.concurrency,
    verifiesPerRun:
      2 * Math.max(1, Math.round(Math.max(2, Math.min(options.maxVerifiesPerRun, options.smallUsers)) / 2)),
    method: SCALE_METHOD,
    databases,
    seconds: (Date.now() - started) / 1000,
  };
}
