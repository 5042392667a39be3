/**
 * Renders bench results as docs/performance.md and docs/images/performance.svg. Everything in
 * those files comes from a run: the prose around the tables is fixed, the figures are not.
 */
import { BENCH_PARTS, type BenchPart } from './lib/config';
import type { BenchResults, ScaleResult, VerifyDatabaseResult, VerifyRow } from './lib/results';
import { formatFigure, renderChart, type Panel } from './lib/svg-chart';
import { guardMissExplanation, guardSection, guardTargets } from './report-guard';

/** What each part measures, for the targets table when it has never been run. */
const PART_NAMES: Record<BenchPart, string> = {
  micro: 'Micro (part 1)',
  backup: 'Backup codes (part 2)',
  guard: 'Guard overhead (part 3)',
  verify: 'Verify throughput, the peers and memory (parts 4 and 5)',
  scale: 'Scale: large against small database, plans, prune under load (part 6, opt-in)',
};
/** The result field that tells whether a part is in the results. */
const PART_PRESENT: Record<BenchPart, (results: BenchResults) => boolean> = {
  micro: (r) => r.micro !== undefined,
  backup: (r) => r.backup !== undefined,
  guard: (r) => r.guard !== undefined,
  verify: (r) => r.verify !== undefined,
  scale: (r) => r.scale !== undefined,
};

/** The parts with no results at all: the page says so instead of leaving them out. */
export function partsNeverRun(results: BenchResults): BenchPart[] {
  return BENCH_PARTS.filter((part) => !PART_PRESENT[part](results));
}

/**
 * One line under a part's heading: the date of the run its figures come from, its runs and how
 * long the part took (parts come from separate runs once the store merges them).
 */
export function sourceLine(results: BenchResults, part: BenchPart): string {
  const source = results.sources?.[part];
  if (!source) return `*From the run of ${results.machine.startedAt.slice(0, 10)}, ${plural(results.runs, 'run')}.*`;
  return `*From the run of ${source.startedAt.slice(0, 10)} (started ${source.startedAt.slice(11, 16)} UTC), ${plural(source.runs, 'run')}; this part took ${duration(source.durationSeconds)}.*`;
}

/** One target of the issue and whether this run met it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const MICRO_TARGET = 1.5;
const BACKUP_TARGET = 1.2;
const STATEMENTS_TARGET = 2;
const BASELINE_TARGET = 0.8;
/** Our second step against the otplib read-then-write peer, at every concurrency. */
const PEER_TARGET = 0.95;
/** The large database against the small one, and the prune against no prune (part 6). */
const SCALE_THROUGHPUT_TARGET = 0.9;
const SCALE_P99_TARGET = 1.25;
const PRUNE_P99_TARGET = 2;
/** How each contender of part 4 is named in tables and the chart. */
const CONTENDER_LABELS: Record<VerifyRow['contender'], string> = {
  ours: '**secondfactor**',
  baseline: 'passport-totp baseline',
  peer: 'otplib read-then-write peer',
};
const CHART_LABELS: Record<VerifyRow['contender'], string> = {
  ours: 'secondfactor',
  baseline: 'passport-totp (no replay, throttle, encryption)',
  peer: 'otplib read-then-write (no throttle, encryption, audit)',
};

/** Labels short enough for the chart. */
const SHORT_LABELS: Record<string, string> = {
  'ours-core': 'ours: decrypt + verifyTotp',
  'ours-service': 'ours: service.verifyCode (memory store)',
  'otplib-default': 'otplib verify (default crypto)',
  'otplib-default-sync': 'otplib verifySync (default crypto)',
  'otplib-node': 'otplib verify (node crypto)',
  'otplib-node-sync': 'otplib verifySync (node crypto)',
  notp: 'notp, as passport-totp calls it',
  speakeasy: 'speakeasy',
};

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const f2 = (v: number): string => v.toFixed(2);
const ms = (v: number): string => (v >= 10 ? v.toFixed(1) : v.toFixed(2));
const duration = (seconds: number): string =>
  seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
const kib = (v: number | undefined): string => (typeof v === 'number' ? v.toFixed(1) : '–');
const mib = (v: number | undefined): string => (typeof v === 'number' ? `${v.toFixed(1)} MiB` : '–');
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
const yes = (met: boolean): string => (met ? '**met**' : '**not met**');
const DB_NAMES: Record<VerifyDatabaseResult['database'], string> = {
  mysql: 'MariaDB',
  postgres: 'PostgreSQL',
  sqlite: 'SQLite',
};
const dbName = (db: VerifyDatabaseResult['database']): string => DB_NAMES[db];

/** The statement categories of part 4's table, in order. */
const STATEMENT_TABLES = [
  'sessions',
  'users',
  'two_factor_store',
  'two_factor_audit',
  'baseline_secret',
  'peer_secret',
  'transaction',
  'other',
] as const;

/**
 * Checks the issue's targets against the results; parts that did not run are left out.
 */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (results.guard) checks.push(...guardTargets(results.guard, 'off'));
  if (results.guardWithPolicy) checks.push(...guardTargets(results.guardWithPolicy, 'on'));
  if (results.backup) {
    const worst = Math.max(results.backup.hasherRatio, results.backup.serviceRatio);
    checks.push({
      target: `Backup codes: 10-code ÷ 1-code time per attempt ≤ ${BACKUP_TARGET} (part 2)`,
      measured: `hasher ${f2(results.backup.hasherRatio)}, service ${f2(results.backup.serviceRatio)}`,
      met: worst <= BACKUP_TARGET,
    });
  }
  if (results.verify) {
    const all = results.verify.databases.flatMap((db) =>
      db.rows.filter((r) => r.contender === 'ours').map((r) => ({ db: db.database, ...r })),
    );
    if (all.length) {
      const worst = Math.max(...all.map((r) => r.secondFactorStatementsPerVerify));
      const total = Math.max(...all.map((r) => r.statementsPerVerify));
      checks.push({
        target: `SQL statements per successful verify ≤ ${STATEMENTS_TARGET} (part 4)`,
        measured: `${f2(worst)} on the 2FA tables (${f2(total)} in the whole request, host statements included)`,
        met: worst <= STATEMENTS_TARGET,
      });
    }
  }
  if (results.micro) {
    const ours = results.micro.rows.find((r) => r.id === 'ours-core' && r.scenario === 'valid');
    const otplibNode = results.micro.rows.filter(
      (r) => r.scenario === 'valid' && (r.id === 'otplib-node' || r.id === 'otplib-node-sync'),
    );
    if (ours && otplibNode.length) {
      const fastest = otplibNode.reduce((a, b) => (a.ratioToOurs >= b.ratioToOurs ? a : b));
      // "Within 1.5×": the fastest raw otplib with node crypto may be at most 1.5 times as fast as ours.
      checks.push({
        target: `Micro: ours within ${MICRO_TARGET}× of raw otplib with node crypto (part 1)`,
        measured: `otplib (${fastest.id === 'otplib-node-sync' ? 'verifySync' : 'verify'}) runs at ${f2(fastest.ratioToOurs)}× our speed`,
        met: fastest.ratioToOurs <= MICRO_TARGET,
      });
    }
  }
  if (results.verify) {
    const ratios = results.verify.databases.flatMap((db) => db.ratios.map((r) => ({ db: db.database, ...r })));
    if (ratios.length) {
      const worst = ratios.reduce((a, b) => (a.ratio <= b.ratio ? a : b));
      checks.push({
        target: `Verify throughput ≥ ${BASELINE_TARGET}× the passport-totp baseline (part 4)`,
        measured: `lowest ${f2(worst.ratio)}× (${dbName(worst.db)}, ${worst.concurrency} client${worst.concurrency === 1 ? '' : 's'}); ${ratios.map((r) => `${dbName(r.db)}/${r.concurrency}: ${f2(r.ratio)}`).join(', ')}`,
        met: worst.ratio >= BASELINE_TARGET,
      });
    }
    const peer = results.verify.databases.flatMap((db) => db.peerRatios.map((r) => ({ db: db.database, ...r })));
    if (peer.length) {
      const worst = peer.reduce((a, b) => (a.ratio <= b.ratio ? a : b));
      checks.push({
        target: `Verify throughput ≥ ${PEER_TARGET}× the otplib read-then-write peer (part 4)`,
        measured: `lowest ${f2(worst.ratio)}× (${dbName(worst.db)}, ${worst.concurrency} client${worst.concurrency === 1 ? '' : 's'}); ${peer.map((r) => `${dbName(r.db)}/${r.concurrency}: ${f2(r.ratio)}`).join(', ')}`,
        met: worst.ratio >= PEER_TARGET,
      });
    }
  }
  if (results.scale) {
    const dbs = results.scale.databases;
    if (dbs.length) {
      const worstThroughput = dbs.reduce((a, b) => (a.throughputRatio <= b.throughputRatio ? a : b));
      checks.push({
        target: `Scale: second-step throughput on the large database ≥ ${SCALE_THROUGHPUT_TARGET}× the small one's (part 6)`,
        measured: dbs
          .map(
            (db) =>
              `${dbName(db.database)}: ${f2(db.throughputRatio)}× (${n0(db.large.users)} vs ${n0(db.small.users)} users)`,
          )
          .join('; '),
        met: worstThroughput.throughputRatio >= SCALE_THROUGHPUT_TARGET,
      });
      checks.push({
        target: `Scale: second-step p99 on the large database ≤ ${SCALE_P99_TARGET}× the small one's (part 6)`,
        measured: dbs
          .map(
            (db) => `${dbName(db.database)}: ${f2(db.p99Ratio)}× (${ms(db.large.p99Ms)} vs ${ms(db.small.p99Ms)} ms)`,
          )
          .join('; '),
        met: dbs.every((db) => db.p99Ratio <= SCALE_P99_TARGET),
      });
      const scans = dbs.flatMap((db) => db.plans.filter((p) => p.fullScan).map((p) => ({ db: db.database, p })));
      checks.push({
        target: 'Scale: every statement of the verify path uses an index, no full scan (part 6)',
        measured: scans.length
          ? `full scan in ${scans.map((s) => `${dbName(s.db)}: \`${s.p.sql.slice(0, 60)}…\``).join('; ')}`
          : dbs.map((db) => `${dbName(db.database)}: ${plural(db.plans.length, 'statement')}, none`).join('; '),
        met: scans.length === 0,
      });
      checks.push({
        target: `Scale: second-step p99 during \`pruneTwoFactorEvents\` ≤ ${PRUNE_P99_TARGET}× without (part 6)`,
        measured: dbs
          .map(
            (db) =>
              `${dbName(db.database)}: ${f2(db.prune.p99Ratio)}× (${ms(db.prune.p99MsDuring)} vs ${ms(db.prune.p99MsWithout)} ms, ${n0(db.prune.deleted)} rows deleted)`,
          )
          .join('; '),
        met: dbs.every((db) => db.prune.p99Ratio <= PRUNE_P99_TARGET),
      });
    }
  }
  return checks;
}

/** The rows of the targets table: each target met or not met, and a row per part never run. */
export function targetRows(results: BenchResults): string[] {
  return [
    ...checkTargets(results).map((t) => `| ${t.target} | ${t.measured} | ${yes(t.met)} |`),
    ...partsNeverRun(results).map(
      (part) =>
        `| ${PART_NAMES[part]} | never run: no stored results${part === 'scale' ? ' (`BENCH_PARTS=scale npm run bench`)' : ''} | **not run** |`,
    ),
  ];
}

/**
 * Why a missed target was missed, in figures from the same run; empty when every target was met.
 */
export function explainMisses(results: BenchResults): string[] {
  const lines: string[] = [];
  const checks = checkTargets(results);
  const missed = (prefix: string): boolean => checks.some((c) => !c.met && c.target.startsWith(prefix));
  if (results.guard && (missed('Guard') || missed('Step-up guard'))) lines.push(guardMissExplanation(results.guard));
  if (results.backup && missed('Backup')) {
    const b = results.backup;
    lines.push(
      `- **Backup codes.** ${b.rows.map((r) => `${r.label}: ${ms(r.msPerAttempt)} ms`).join('; ')}. One set shares one salt, so the KDF runs once per attempt; a ratio far from 1 comes from noise between batches of a 60 ms operation.`,
    );
  }
  if (results.micro && missed('Micro')) {
    const ours = results.micro.rows.find((r) => r.id === 'ours-core' && r.scenario === 'valid');
    lines.push(
      `- **Micro.** Ours took ${ours ? ours.microsecondsPerVerify.toFixed(1) : '?'} µs per verification: one AES-256-GCM decryption plus three HMAC-SHA1 and constant-time comparisons, every time.`,
    );
  }
  // Only the passport-totp target: the peer target starts with "Verify" too and is explained on its own.
  if (results.verify && missed(`Verify throughput ≥ ${BASELINE_TARGET}× the passport-totp`)) {
    const misses = results.verify.databases.flatMap((db) =>
      db.ratios
        .filter((r) => r.ratio < BASELINE_TARGET)
        .map(({ concurrency, ratio }) => ({
          db,
          concurrency,
          ratio,
          ours: db.rows.find((r) => r.contender === 'ours' && r.concurrency === concurrency) as VerifyRow,
          base: db.rows.find((r) => r.contender === 'baseline' && r.concurrency === concurrency) as VerifyRow,
        })),
    );
    const cat = (row: VerifyRow, key: string): number => row.statementsByCategory[key] ?? 0;
    const { ours, base } = misses[0];
    const crypto = results.micro?.rows.find((r) => r.id === 'ours-core' && r.scenario === 'valid');
    lines.push(
      `- **Verify throughput.** Below ${BASELINE_TARGET}× at ${misses.map((m) => `${dbName(m.db.database)}/${m.concurrency} (${f2(m.ratio)})`).join(', ')}. Per verification (1 ÷ throughput, and the site process's CPU time):`,
      '',
      '  | database | clients | ours ms | baseline ms | site CPU ms ours / baseline | server CPU ms ours / baseline | all CPU ms ours / baseline | statements ours / baseline | writes ours / baseline |',
      '  |---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...misses.map(
        (m) =>
          `  | ${dbName(m.db.database)} | ${m.concurrency} | ${ms(1000 / m.ours.verifiesPerSecond)} | ${ms(1000 / m.base.verifiesPerSecond)} | ${f2(m.ours.siteCpuMs)} / ${f2(m.base.siteCpuMs)} | ${m.ours.serverCpuMs === undefined || m.base.serverCpuMs === undefined ? (m.db.database === 'sqlite' ? 'in the site' : '–') : `${f2(m.ours.serverCpuMs)} / ${f2(m.base.serverCpuMs)}`} | ${f2(m.ours.siteCpuMs + (m.ours.serverCpuMs ?? 0))} / ${f2(m.base.siteCpuMs + (m.base.serverCpuMs ?? 0))} | ${f2(m.ours.statementsPerVerify)} / ${f2(m.base.statementsPerVerify)} | ${f2(m.ours.writesPerVerify)} / ${f2(m.base.writesPerVerify)} |`,
      ),
      '',
      `  On ${plural(results.machine.cores, 'core')}, once the clients keep the machine busy, throughput follows the CPU that one verification costs everywhere: the site, the database server and the load generator share the cores. "All CPU" is the site's plus the server's: its ratio baseline ÷ ours (${misses.map((m) => `${dbName(m.db.database)}/${m.concurrency}: ${f2((m.base.siteCpuMs + (m.base.serverCpuMs ?? 0)) / (m.ours.siteCpuMs + (m.ours.serverCpuMs ?? 0)))}`).join(', ')}) is the throughput ratio the CPU alone predicts.`,
      '',
      `  Where the extra cost goes. ${crypto ? `Our decryption and three HMACs take ${(crypto.microsecondsPerVerify / 1000).toFixed(3)} ms (part 1). ` : ''}The site process spends ${misses.map((m) => `${f2(m.ours.siteCpuMs - m.base.siteCpuMs)} ms (${dbName(m.db.database)}/${m.concurrency})`).join(', ')} more CPU per verification than the baseline${
        misses.some((m) => m.ours.serverCpuMs !== undefined && m.base.serverCpuMs !== undefined)
          ? `, and the database server ${misses
              .filter((m) => m.ours.serverCpuMs !== undefined && m.base.serverCpuMs !== undefined)
              .map(
                (m) =>
                  `${f2((m.ours.serverCpuMs ?? 0) - (m.base.serverCpuMs ?? 0))} ms (${m.concurrency} client${m.concurrency === 1 ? '' : 's'})`,
              )
              .join(', ')} more`
          : ''
      }. One statement more runs per verification: the 2FA store's ${f2(cat(ours, 'two_factor_store'))} against the baseline's ${f2(cat(base, 'baseline_secret'))}, the conditional \`last_used_step\` update that makes a code single-use (S12), the one write the baseline skips by accepting replays. It is a commit${misses.some((m) => m.db.database === 'mysql') && /flush_log_at_trx_commit=1/.test(results.verify.databases.find((d) => d.database === 'mysql')?.serverSettings ?? '') ? ', which MariaDB with innodb_flush_log_at_trx_commit=1 also flushes to disk' : ''}. The audit row costs ${f2(cat(ours, 'two_factor_audit'))} statements per verification (batched, off the request path, S27)${cat(ours, 'users') > cat(base, 'users') ? `, and the user is looked up ${f2(cat(ours, 'users'))} times against ${f2(cat(base, 'users'))}` : ''}. The rest of the site's extra CPU is the drop-in route doing what the baseline route does not: the CSRF and content-type checks of \`@secondfactor/koa\`, no-store headers, the password-fingerprint check (S22), request metadata and events for the audit trail (S27), the throttle bookkeeping (S16). The replay update is inherent to what secondfactor promises: a code that signs in once, even under a burst of parallel submissions.`,
    );
  }
  if (results.scale && missed('Scale: second-step')) {
    for (const db of results.scale.databases) {
      const { small, large } = db;
      if (db.throughputRatio >= SCALE_THROUGHPUT_TARGET && db.p99Ratio <= SCALE_P99_TARGET) continue;
      lines.push(
        `- **Scale, ${dbName(db.database)}.** Per run, large ÷ small verifies/s ${large.verifiesPerSecondRuns.map((v, i) => f2(v / small.verifiesPerSecondRuns[i])).join(', ')} and p99 ${large.p99MsRuns.map((v, i) => f2(v / small.p99MsRuns[i])).join(', ')}. Both databases ran the same statements per verification (${f2(small.statementsPerVerify)} small, ${f2(large.statementsPerVerify)} large) and no plan scans a table (see the plans below); per verification the site spent ${f2(small.siteCpuMs)} / ${f2(large.siteCpuMs)} ms of CPU (small / large) and the server ${small.serverCpuMs === undefined || large.serverCpuMs === undefined ? '–' : `${f2(small.serverCpuMs)} / ${f2(large.serverCpuMs)} ms`}${small.serverReadKiB === undefined || large.serverReadKiB === undefined ? '' : `, and the server read ${kib(small.serverReadKiB)} / ${kib(large.serverReadKiB)} KiB from storage`}. Where these match, the gap is the machine between slices rather than the data; where the large database reads from storage and the small one does not, its rows no longer fit the server's cache (${db.serverSettings.replace(/.*(innodb_buffer_pool_size=[^,]+|shared_buffers=[^,]+).*/, '$1')}): each measured user's credential, user and session rows sit on pages of their own, spread over a table larger than that cache, so a sign-in waits for those reads. The statements and their plans stay the same; a server sized for its data holds those pages.`,
      );
    }
  }
  if (results.scale && missed('Scale: second-step p99 during')) {
    for (const db of results.scale.databases.filter((d) => d.prune.p99Ratio > PRUNE_P99_TARGET))
      lines.push(
        `- **Prune under load, ${dbName(db.database)}.** ${n0(db.prune.deleted)} rows went in ${n0(db.prune.batches)} statements over ${db.prune.seconds.toFixed(1)} s, about ${ms((db.prune.seconds * 1000) / Math.max(1, db.prune.batches))} ms each; the second step's p50 moved from ${ms(db.prune.p50MsWithout)} to ${ms(db.prune.p50MsDuring)} ms and its throughput from ${n0(db.prune.verifiesPerSecondWithout)} to ${n0(db.prune.verifiesPerSecondDuring)}/s. The prune ran with ${pruneSetting(results.scale)}: each batch still reads index pages the sign-ins then miss (see the prune section); a smaller \`batchSize\` or a longer \`pauseMs\` lowers that share, at the cost of a longer prune.`,
      );
  }
  return lines;
}

/** The prune's settings as the scale part ran them (older results: the package defaults). */
function pruneSetting(scale: ScaleResult): string {
  const db = scale.databases[0];
  const batchSize = db?.prune.batchSize ?? 5000;
  const pauseMs = db?.prune.pauseMs ?? 0;
  return `\`{ batchSize: ${batchSize}, pauseMs: ${pauseMs} }\``;
}

function hasServerCpu(db: VerifyDatabaseResult): boolean {
  return db.rows.some((r) => r.serverCpuMs !== undefined);
}

/**
 * The markdown of docs/performance.md.
 */
export function renderMarkdown(results: BenchResults, chartPath: string): string {
  const m = results.machine;
  const out: string[] = [];
  const push = (...lines: string[]): void => {
    out.push(...lines);
  };
  push(
    '# Performance',
    '',
    'secondfactor does more per verification than the TOTP packages people usually compare it with: it decrypts the stored secret, checks every step of the window in constant time, refuses a replayed code atomically in the database and keeps a brute-force counter there too. This page measures, side by side in one run, what that costs.',
    '',
    `> Generated by \`npm run bench\` (test/bench) from the latest stored results of each part (docs/performance/*.json), last on ${m.startedAt.slice(0, 10)}. Every figure is the **median of the runs** of its part's run; each section says which run it comes from, when, and how long the part took. Do not edit by hand: run the bench again (a run of some parts keeps the others' last results).`,
    '',
    `![Benchmark chart](${chartPath})`,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targetRows(results),
    '',
    ...(explainMisses(results).length
      ? ['Where a target is missed, the figures of the same run say why:', '', ...explainMisses(results), '']
      : []),
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    ...(m.mariadb ? [`| MariaDB | ${m.mariadb} |`] : []),
    ...(m.postgres ? [`| PostgreSQL | ${m.postgres} |`] : []),
    ...(m.sqlite ? [`| SQLite | ${m.sqlite} (better-sqlite3) |`] : []),
    `| load average at start | ${m.loadAverageAtStart} |`,
    '',
    'The client and the site share the machine. On a machine this small, absolute figures move by ±10–20% between runs; the ratios, measured within the same run on interleaved contenders, move much less.',
    '',
    '## What the peers do not do',
    '',
    'The comparison is fair only if the extra work is visible. Every peer below is used as its documentation shows, with the same 20-byte secret and a window of one step either side.',
    '',
    '| | secondfactor | otplib 13 | notp 2 / passport-totp 0.0.2 | speakeasy 2 |',
    '|---|---|---|---|---|',
    '| secret encrypted at rest | AES-256-GCM, bound to user and credential (S6) | no (the app stores a base32 string) | no (plaintext key from the `setup` callback) | no |',
    '| replay protection | atomic `last_used_step` update in the database (S12) | `afterTimeStep` option; the app must store and update it | none | none |',
    '| throttling / lockout | database counter, backoff, lock (S16) | none | none | none |',
    '| constant-time comparison | yes, and every step of the window is computed (no early exit) | constant-time per candidate, stops at the first match | plain `===`, stops at the first match | integer `===`, stops at the first match |',
    '| input validation | exact digits, length and type before any crypto (S13) | length and digits checked (throws) | none (passport-totp also reads the code from the query string) | length and `parseInt` only |',
    '| leading zeros | kept; RFC 4226/6238 vectors pass (S1) | kept | lost: a value below 100000 is not zero-padded (`008050` becomes `50`), so about 1 valid code in 21,000 is refused | kept |',
    "| default window | ±1 step | 0 (exact step) | ±6 steps in passport-totp; notp's own default, and `window: 0`, mean ±50 | 0 |",
    '',
  );

  if (results.micro) {
    const micro = results.micro;
    push(
      '## 1. Micro: verifications per second',
      '',
      sourceLine(results, 'micro'),
      '',
      `One process, one secret, window ±1 step. The contenders run in interleaved rounds (each round times one batch of every contender, starting each round at the next contender), ${plural(micro.rounds, 'round')} per run, ${plural(micro.runs, 'run')}. "× ours" is the contender's speed divided by ours in the same run (above 1 is faster than ours), median over runs.`,
      '',
      '"Ours" is `SecretCipher.decrypt` of the stored envelope followed by `verifyTotp`: the work our service does per code, minus the store. `TwoFactorService.verifyCode` over `MemoryTwoFactorStore` is shown for reference: it adds input normalisation, the store read, the gate checks and the replay update (the bench moves the service clock one step per call, so every call is a first use and succeeds).',
      '',
      '| contender | valid code: verifies/s | µs/verify | × ours | wrong code: verifies/s | × ours |',
      '|---|---:|---:|---:|---:|---:|',
    );
    const ids = [...new Set(micro.rows.map((r) => r.id))];
    for (const id of ids) {
      const valid = micro.rows.find((r) => r.id === id && r.scenario === 'valid');
      const wrong = micro.rows.find((r) => r.id === id && r.scenario === 'wrong');
      const label = (valid ?? wrong)?.label ?? id;
      const bold = id === 'ours-core' ? '**' : '';
      push(
        `| ${bold}${label}${bold} | ${valid ? n0(valid.opsPerSecond) : '–'} | ${valid ? valid.microsecondsPerVerify.toFixed(1) : '–'} | ${valid ? f2(valid.ratioToOurs) : '–'} | ${wrong ? n0(wrong.opsPerSecond) : 'n/a¹'} | ${wrong ? f2(wrong.ratioToOurs) : '–'} |`,
      );
    }
    push(
      '',
      '¹ A wrong code through the service counts a failure and soon trips the backoff, after which no crypto runs at all; that path is not a verification.',
      '',
      'With a valid code for the current step, the peers compute two HMACs (the previous step, then the match) and stop; ours computes all three, so that the time taken does not reveal which step matched, and decrypts first. With a wrong code everybody computes three HMACs.',
      '',
    );
  }

  if (results.backup) {
    const b = results.backup;
    push(
      '## 2. Backup codes: one KDF evaluation per attempt',
      '',
      sourceLine(results, 'backup'),
      '',
      `Time per attempt with a wrong code (the attacker's case), with 1 and with 10 unused codes stored. All codes of a set share one salt, so an attempt is one scrypt evaluation (N = 2^14, r = 8) whatever the count (S18). The service rows use \`MemoryTwoFactorStore\` and a throttle policy wide enough that every attempt reaches the KDF; the failure counter is reset between batches (untimed). Interleaved rounds, ${plural(b.runs, 'run')}.`,
      '',
      '| contender | ms per attempt | runs (ms) |',
      '|---|---:|---|',
      ...b.rows.map((r) => `| ${r.label} | ${ms(r.msPerAttempt)} | ${r.msPerAttemptRuns.map(ms).join(', ')} |`),
      '',
      `| ratio 10 codes ÷ 1 code | value |`,
      '|---|---:|',
      `| \`BackupCodeHasher.findMatch\` | ${f2(b.hasherRatio)} |`,
      `| \`TwoFactorService.useBackupCode\` | ${f2(b.serviceRatio)} |`,
      '',
      'None of the peers has backup codes; they are not in this table.',
      '',
    );
  }

  if (results.guard) push(...guardSection(results.guard, results.guardWithPolicy, sourceLine(results, 'guard')));

  if (results.verify) {
    const v = results.verify;
    push('## 4. Verify throughput on a database', '', sourceLine(results, 'verify'), '', v.method, '');
    for (const db of v.databases) {
      const sizes = db.verifiesPerMeasurement
        .map((s) => `${n0(s.count)} at ${s.concurrency} client${s.concurrency === 1 ? '' : 's'}`)
        .join(', ');
      push(
        `### ${dbName(db.database)} (${db.serverVersion})`,
        '',
        ...(db.serverSettings ? [`Settings: ${db.serverSettings}.`, ''] : []),
        `${n0(db.users)} users enrolled in ${db.enrollSeconds.toFixed(1)} s. Successful verifications per contender and run (sized by a calibration to about ${v.secondsPerMeasurement} s): ${sizes}. ${plural(v.runs, 'run')}; each run times the two endpoints in four slices of half that count, A B B A (which one goes first alternates between runs), so a drift of the machine during a run weighs on both alike. A contender's figures for a run come from its two slices together; the table shows medians over runs, and the ratio below is the median of the runs' ratios.`,
        '',
        `| endpoint | clients | verifies/s | p50 ms | p99 ms | site CPU ms / verify |${hasServerCpu(db) ? ' server CPU ms / verify |' : ''} SQL statements / verify | of which writes | 2FA store | audit insert | runs (verifies/s) |`,
        `|---|---:|---:|---:|---:|---:|${hasServerCpu(db) ? '---:|' : ''}---:|---:|---:|---:|---|`,
        ...db.rows.map(
          (r) =>
            `| ${CONTENDER_LABELS[r.contender]} | ${r.concurrency} | ${n0(r.verifiesPerSecond)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${f2(r.siteCpuMs)} |${hasServerCpu(db) ? ` ${r.serverCpuMs === undefined ? '–' : f2(r.serverCpuMs)} |` : ''} ${f2(r.statementsPerVerify)} | ${f2(r.writesPerVerify)} | ${f2(r.secondFactorStatementsPerVerify)} | ${f2(r.auditStatementsPerVerify)} | ${r.verifiesPerSecondRuns.map(n0).join(', ')} |`,
        ),
        '',
        ...(hasServerCpu(db)
          ? [
              db.database === 'postgres'
                ? '"Server CPU" is the CPU time of all PostgreSQL server processes (the postmaster, the background workers and the site\'s backends; Linux `/proc`) over the same slices, per verification: the server runs on this machine and shares its cores with the site and the load generator.'
                : '"Server CPU" is the MariaDB server process\'s own CPU time (Linux `/proc`) over the same slices, per verification: the server runs on this machine and shares its cores with the site and the load generator.',
              '',
            ]
          : []),
        '"2FA store" counts the statements on the second factor\'s own tables: `two_factor_credentials` for secondfactor (read, then the conditional `last_used_step` update), the plaintext secret table for the baseline. "Audit insert" is the example\'s `createTypeOrmEventSink`: each sign-in\'s `code.verified` row is queued and written with up to 99 others in one multi-row `INSERT` at most 100 ms later (`AUDIT_BATCH_MS`), so the figure is a fraction and the sign-in does not wait for it. The rest belongs to the host: the session store (`sessions`), the user lookups (`users`).',
        '',
        `The baseline refused ${n0(db.baselineRefusedValidCodes.refusedValid)} valid code${db.baselineRefusedValidCodes.refusedValid === 1 ? '' : 's'} out of ${n0(db.baselineRefusedValidCodes.attempts)} attempts: notp takes the last six characters of the HOTP value without zero-padding, so a value below 100000 (about 1 code in 21,000) never matches. These count as failed, not as verifications.`,
        '',
        `| clients | ours ÷ baseline (verifies/s) | ours ÷ otplib read-then-write peer |`,
        '|---:|---:|---:|',
        ...db.ratios.map(
          (r) =>
            `| ${r.concurrency} | ${f2(r.ratio)} | ${f2(db.peerRatios.find((p) => p.concurrency === r.concurrency)?.ratio ?? Number.NaN)} |`,
        ),
        '',
        ...(db.express?.length
          ? [
              `**The Express site.** The second step of examples/express-site, run in its own process on the same database with the same users (its bench route \`GET /__bench/pending\` is mounted the same way, right before the router of its second step), against the Koa site's, interleaved A B B A in slices of half the count above (which goes first alternates), ${plural(v.runs, 'run')}. Express ÷ Koa below 1 is what the Express adapter and its middleware (express-session, csrf-sync, Passport) cost more than Koa's.`,
              '',
              '| clients | Koa verifies/s | Express verifies/s | Express ÷ Koa | Koa p50 / p99 ms | Express p50 / p99 ms | site CPU ms / verify Koa / Express |',
              '|---:|---:|---:|---:|---:|---:|---:|',
              ...db.express.map(
                (e) =>
                  `| ${e.concurrency} | ${n0(e.koa.verifiesPerSecond)} | ${n0(e.express.verifiesPerSecond)} | ${f2(e.ratio)} | ${ms(e.koa.p50Ms)} / ${ms(e.koa.p99Ms)} | ${ms(e.express.p50Ms)} / ${ms(e.express.p99Ms)} | ${f2(e.koa.siteCpuMs)} / ${f2(e.express.siteCpuMs)} |`,
              ),
              '',
            ]
          : []),
        `**Replay under a burst.** One valid code, sent at once from ${db.replay.submissions} sessions of the same user, each with the password step done: secondfactor signed in ${db.replay.oursAccepted} of them, the otplib read-then-write peer ${db.replay.peerAccepted}. ${db.replay.peerAccepted > 1 ? `The peer does what otplib's documentation says (check with \`afterTimeStep\`, then store the step), but its read and its write are separate statements: every request that read the old step before the first write landed accepted the same code.` : "Here the peer's read and write happened not to interleave; nothing in it prevents that, and a slower database or more clients make it likelier."} secondfactor's conditional \`last_used_step\` update lets exactly one through (S12).`,
        '',
        'Statements per verification by table, first concurrency level:',
        '',
        '| endpoint | ' + STATEMENT_TABLES.join(' | ') + ' |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...db.rows
          .filter((r) => r.concurrency === db.rows[0].concurrency)
          .map(
            (r) =>
              `| ${r.contender} | ${STATEMENT_TABLES.map((k) => f2(r.statementsByCategory[k] ?? 0)).join(' | ')} |`,
          ),
        '',
        'The statements of one successful verification (parameters are never recorded):',
        '',
        '```sql',
        '-- secondfactor',
        ...db.sampleStatements.ours,
        '-- passport-totp baseline',
        ...db.sampleStatements.baseline,
        '-- otplib read-then-write peer',
        ...db.sampleStatements.peer,
        '```',
        '',
      );
    }
  }

  if (results.verify || results.scale) push(...renderRetainedHeap(results));
  if (results.verify) {
    const v = results.verify;
    push(
      '### Every reading of part 4',
      '',
      'Resident set size of the site process, read from inside it (`process.memoryUsage()`), after enrollment and start-up and again after the measurements of part 4 (before the load phase); then the heap that survives a full garbage collection (`--expose-gc`), which is what the process really keeps.',
      '',
      '| database | RSS before | RSS after | heap used before | heap used after | heap after GC, before | heap after GC, after | verifications served |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...v.databases.map(
        (db) =>
          `| ${dbName(db.database)} | ${db.memory.rssBeforeMiB.toFixed(1)} MiB | ${db.memory.rssAfterMiB.toFixed(1)} MiB | ${db.memory.heapUsedBeforeMiB.toFixed(1)} MiB | ${db.memory.heapUsedAfterMiB.toFixed(1)} MiB | ${mib(db.memory.heapAfterGcBeforeMiB)} | ${mib(db.memory.heapAfterGcAfterMiB)} | ${n0(db.memory.verifiesServed)} |`,
      ),
      '',
      ...v.databases
        .filter(
          (db) =>
            typeof db.memory.heapAfterGcAfterFirstRunMiB === 'number' &&
            db.memory.verifiesServed > db.memory.verifiesServedAfterFirstRun,
        )
        .map((db) => {
          const grownKiB = (db.memory.heapAfterGcAfterMiB - db.memory.heapAfterGcAfterFirstRunMiB) * 1024;
          const later = db.memory.verifiesServed - db.memory.verifiesServedAfterFirstRun;
          const perVerify = (grownKiB * 1024) / later;
          const verdict =
            Math.abs(grownKiB) < 1024 || Math.abs(perVerify) < 100
              ? 'within the noise of a collection (under 1 MiB or 100 bytes per verification), so nothing the site keeps grows with traffic; the rise of RSS and of the uncollected heap is warm-up (compiled code, pools, caches) and garbage not yet collected'
              : 'memory that grows with traffic: worth a heap snapshot';
          return `${dbName(db.database)}: once warm (after the first run, ${n0(db.memory.verifiesServedAfterFirstRun)} verifications), the retained heap was ${mib(db.memory.heapAfterGcAfterFirstRunMiB)}; ${n0(later)} verifications later it had moved by ${grownKiB.toFixed(0)} KiB, ${perVerify.toFixed(0)} bytes per verification: ${verdict}.`;
        })
        .flatMap((line) => [line, '']),
    );
  }
  if (results.scale) renderScale(results.scale, sourceLine(results, 'scale'), push);

  push(
    '## Closing note: the targets',
    '',
    'The targets table again, from the same stored results as the sections above:',
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targetRows(results),
    '',
  );

  push(
    '## Running it',
    '',
    '```sh',
    'npm run bench                      # the default parts (micro, backup, guard, verify); MariaDB at MYSQL_URL, PostgreSQL at POSTGRES_URL (defaults: the local servers)',
    'BENCH_RUNS=7 npm run bench         # more runs per figure',
    'BENCH_PARTS=scale npm run bench    # the opt-in scale part alone: replaces its section, keeps the others',
    'BENCH_PARTS=micro,backup npm run bench   # some parts: their sections are replaced, the others kept',
    'BENCH_RUNS=1 BENCH_USERS=1000 npm run bench   # a quick look: under 5 runs, results and page go to test/.tmp/bench/',
    'BENCH_PARTS=scale BENCH_RUNS=1 BENCH_SCALE_USERS=20000 BENCH_SCALE_EVENTS=200000 npm run bench   # the scale part, small (a few minutes, test/.tmp/bench/)',
    '```',
    '',
    "The bench creates its own database `sf_bench_<random>` on the MariaDB and the PostgreSQL server and drops it at the end, and a temporary SQLite file. Each part's results are stored on their own, in docs/performance/<part>.json for a run that may publish (at least 5 runs, part 4 on all three databases, the scale part at its full size on both servers with the documented prune setting; `BENCH_WRITE_DOCS=1` forces, `BENCH_WRITE_DOCS=0` prevents) and in test/.tmp/bench/parts/ otherwise; this page is rendered from the latest stored results of every part, and each section says which run it comes from, when, and how long the part took. Settings: `BENCH_RUNS` (default 5), `BENCH_PARTS` (micro, backup, guard, verify; scale only when named), `BENCH_ROUNDS`, `BENCH_BATCH_MS`, `BENCH_GUARD_SECONDS` (slice, default 1), `BENCH_GUARD_ROUNDS` (default 5), `BENCH_GUARD_CONNECTIONS` (default 16), `BENCH_USERS` (default 10000), `BENCH_VERIFY_SECONDS` (default 3), `BENCH_MAX_VERIFIES` (default 2000), `BENCH_CONCURRENCY` (default 1,8,32), `BENCH_DATABASES` (mysql, postgres, sqlite), `BENCH_MEMORY_LOAD_SECONDS` (part 5's load phase at 32 clients, default 60), for the opt-in scale part `BENCH_SCALE_USERS` (default 1000000), `BENCH_SCALE_EVENTS` (audit rows, default 10000000), `BENCH_SCALE_SMALL_USERS` (default 1000), `BENCH_SCALE_CONCURRENCY` (default 8), `BENCH_SCALE_DATABASES` (mysql, postgres), `BENCH_PRUNE_BATCH_SIZE` and `BENCH_PRUNE_PAUSE_MS` (the prune under load, default 1000 and 100 as documented), and `BENCH_SITE_NODE_ARGS` (flags for the site process only, e.g. `--cpu-prof` to profile it). The raw results of the last run are in `test/.tmp/bench/results.json`; `node --import tsx test/bench/run.ts --report-only` renders this page again from docs/performance/ (and the local copy from both stores) without measuring.",
    '',
  );
  return out.join('\n');
}

/**
 * Part 5's summary: the site's retained heap at start, after the 60 s load phase and after the
 * scale part, side by side per server (the scale part's site is its own process, read at its own
 * start and end).
 */
export function renderRetainedHeap(results: BenchResults): string[] {
  const verify = results.verify?.databases ?? [];
  const scale = results.scale?.databases ?? [];
  const servers = [...new Set([...verify.map((d) => d.database), ...scale.map((d) => d.database)])];
  const load = verify.find((d) => d.memory.load)?.memory.load;
  const scaleCell = (
    db: VerifyDatabaseResult['database'],
    pick: (m: ScaleResult['databases'][number]['memory']) => number,
  ): string => {
    if (!results.scale) return 'not run';
    const found = scale.find((d) => d.database === db);
    return found ? mib(pick(found.memory)) : '–';
  };
  return [
    '## 5. Memory',
    '',
    `The heap the site process keeps after a forced full collection (\`--expose-gc\`, asked over IPC): at start (after enrollment, before any sign-in), after ${load ? `a load phase of the second step at ${plural(load.clients, 'client')} for ${Math.round(load.seconds)} s` : 'the load phase'} (after part 4's measurements, on the same site; fresh codes only, so when every enrolled user has signed in during a 30-second step the phase waits for the next one: the verifications it served are beside the figure), and in the scale part's large-database site at its start and after the whole part (its measurements and the prune).`,
    '',
    '| server | at start | after the load phase (its verifications) | verifications by then | scale part: at start | scale part: after | verifications in the scale part |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...servers.map((db) => {
      const v = verify.find((d) => d.database === db);
      const served = scale.find((d) => d.database === db)?.memory.verifiesServed;
      return `| ${dbName(db)} | ${v ? mib(v.memory.heapAfterGcBeforeMiB) : 'not run'} | ${v?.memory.load ? `${mib(v.memory.load.heapAfterGcAfterMiB)} (${n0(v.memory.load.verifies)} in ${Math.round(v.memory.load.seconds)} s)` : '–'} | ${v?.memory.load ? n0(v.memory.verifiesServed + v.memory.load.verifies) : '–'} | ${scaleCell(db, (m) => m.heapAfterGcStartMiB)} | ${scaleCell(db, (m) => m.heapAfterGcEndMiB)} | ${served === undefined ? '–' : n0(served)} |`;
    }),
    '',
  ];
}

/** Part 6's section: the comparison, the plans, the prune, the memory and how long it took. */
function renderScale(scale: ScaleResult, source: string, push: (...lines: string[]) => void): void {
  push(
    '## 6. Scale: a large database against a small one',
    '',
    source,
    '',
    `Opt-in (\`BENCH_PARTS=scale\`); this run took ${duration(scale.seconds)} for the whole part, bulk inserts included. ${scale.method}`,
    '',
    `${plural(scale.runs, 'run')} at ${plural(scale.concurrency, 'client')}, ${n0(scale.verifiesPerRun)} successful verifications per database and run.`,
    '',
    '| server | database | users | audit rows | bulk insert s (of which credentials) | verifies/s | p50 ms | p99 ms | site CPU ms / verify | server CPU ms / verify | server reads from storage KiB / verify | statements / verify | runs (verifies/s) | runs (p99 ms) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...scale.databases.flatMap((db) =>
      (['small', 'large'] as const).map((label) => {
        const f = db[label];
        return `| ${dbName(db.database)} | ${label} | ${n0(f.users)} | ${n0(f.auditEvents)} | ${f.populateSeconds.toFixed(0)}${f.credentialSeconds === undefined ? '' : ` (${f.credentialSeconds.toFixed(0)})`} | ${n0(f.verifiesPerSecond)} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${f2(f.siteCpuMs)} | ${f.serverCpuMs === undefined ? '–' : f2(f.serverCpuMs)} | ${kib(f.serverReadKiB)} | ${f2(f.statementsPerVerify)} | ${f.verifiesPerSecondRuns.map(n0).join(', ')} | ${f.p99MsRuns.map(ms).join(', ')} |`;
      }),
    ),
    '',
    `| server | large ÷ small verifies/s (target ≥ ${SCALE_THROUGHPUT_TARGET}) | | large ÷ small p50 | large ÷ small p99 (target ≤ ${SCALE_P99_TARGET}) | |`,
    '|---|---:|---|---:|---:|---|',
    ...scale.databases.map(
      (db) =>
        `| ${dbName(db.database)} | ${f2(db.throughputRatio)} | ${yes(db.throughputRatio >= SCALE_THROUGHPUT_TARGET)} | ${f2(db.large.p50Ms / db.small.p50Ms)} | ${f2(db.p99Ratio)} | ${yes(db.p99Ratio <= SCALE_P99_TARGET)} |`,
    ),
    '',
  );
  for (const db of scale.databases) {
    push(
      `### ${dbName(db.database)}: plans of the verify path on the large database`,
      '',
      `${db.serverVersion}${db.serverSettings ? `; ${db.serverSettings}` : ''}. Each statement one verification sent (transaction control left out, each text once), planned with ${db.database === 'postgres' ? '`EXPLAIN (FORMAT TEXT)`' : '`EXPLAIN`'} and the parameters it ran with, which are not shown. A full scan (${db.database === 'postgres' ? '`Seq Scan`' : '`type ALL` on a read'}) would be a missed target: ${db.plans.some((p) => p.fullScan) ? `**${db.plans.filter((p) => p.fullScan).length} found**, marked below` : 'none found'}.${db.database === 'mysql' ? ' MariaDB shows the table of an `INSERT … VALUES` as `type ALL`: nothing is read, so it is no scan. "Impossible WHERE noticed after reading const tables" is MariaDB reading the row by its primary key (a const lookup) and finding that its condition no longer holds: by the time of the EXPLAIN, the sign-in had replaced that session.' : ''}`,
      '',
      '```text',
      ...db.plans.flatMap((p) => [
        `${p.fullScan ? '-- FULL SCAN: ' : '-- '}${p.sql.length > 300 ? `${p.sql.slice(0, 297)}...` : p.sql}`,
        ...p.plan.map((line) => `   ${line}`),
      ]),
      '```',
      '',
    );
  }
  push(
    '### Prune under load',
    '',
    `\`pruneTwoFactorEvents\` deleting the audit rows older than 400 days from the large database, oldest first, with the setting @secondfactor/typeorm documents for a prune while users sign in: ${pruneSetting(scale)}; it runs from the bench's own connection like a scheduled job, while the second step runs at ${plural(scale.concurrency, 'client')}. "Without" pools the slices of 200 verifications measured right before the prune and right after it (${scale.databases.map((db) => `${dbName(db.database)}: ${n0(db.prune.verifiesWithout)} verifications`).join(', ')}); "during" pools the slices that started while it ran (${scale.databases.map((db) => `${dbName(db.database)}: ${n0(db.prune.verifiesDuring)}`).join(', ')}). "Server reads" is what the database server read from storage (Linux \`/proc/<pid>/io\`), per verification, the prune's own reads included.`,
    '',
    'Why a prune weighs on sign-ins at all: each batch deletes its rows through the `occurred_at` index, and each deleted row also leaves the `(user_id, occurred_at)` index, at places spread over the whole of it; with millions of rows that index outgrows the buffer cache, so a batch reads pages from disk and evicts the pages the sign-ins use (sessions, credentials), and its commit flushes the log with theirs. Back to back, batches of 5,000 (the default, for a quiet hour) keep the server at that the whole time; smaller batches with a pause between them leave the sign-ins room between batches, at the cost of a longer prune.',
    '',
    `| server | rows deleted | statements | prune s | verifies/s without | verifies/s during | p50 ms without / during | server reads KiB / verify without / during | p99 ms without | p99 ms during | during ÷ without p99 (target ≤ ${PRUNE_P99_TARGET}) | |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...scale.databases.map(
      (db) =>
        `| ${dbName(db.database)} | ${n0(db.prune.deleted)} | ${n0(db.prune.batches)} | ${db.prune.seconds.toFixed(1)} | ${n0(db.prune.verifiesPerSecondWithout)} | ${n0(db.prune.verifiesPerSecondDuring)} | ${ms(db.prune.p50MsWithout)} / ${ms(db.prune.p50MsDuring)} | ${kib(db.prune.serverReadKiBWithout)} / ${kib(db.prune.serverReadKiBDuring)} | ${ms(db.prune.p99MsWithout)} | ${ms(db.prune.p99MsDuring)} | ${f2(db.prune.p99Ratio)} | ${yes(db.prune.p99Ratio <= PRUNE_P99_TARGET)} |`,
    ),
    '',
    "### Memory of the large database's site",
    '',
    '| server | RSS at start | RSS after | heap after GC at start | heap after GC after the part | verifications served |',
    '|---|---:|---:|---:|---:|---:|',
    ...scale.databases.map(
      (db) =>
        `| ${dbName(db.database)} | ${mib(db.memory.rssStartMiB)} | ${mib(db.memory.rssEndMiB)} | ${mib(db.memory.heapAfterGcStartMiB)} | ${mib(db.memory.heapAfterGcEndMiB)} | ${n0(db.memory.verifiesServed)} |`,
    ),
    '',
    `How long it took: ${duration(scale.seconds)} in all; ${scale.databases.map((db) => `${dbName(db.database)} ${duration(db.seconds)} (bulk insert ${duration(db.small.populateSeconds + db.large.populateSeconds)}${db.large.credentialSeconds === undefined ? '' : `, of which the large database's credentials ${duration(db.large.credentialSeconds)}`}; prune ${duration(db.prune.seconds)})`).join(', ')}. The bulk insert is not a target.`,
    '',
  );
}

/**
 * The chart of docs/images/performance.svg.
 */
export function renderPerformanceChart(results: BenchResults): string {
  const panels: Panel[] = [];
  if (results.micro) {
    panels.push({
      title: '1. TOTP verifications per second, one process, valid code, ±1 step',
      unit: 'verifies/s (higher is better)',
      groups: [
        {
          bars: results.micro.rows
            .filter((r) => r.scenario === 'valid')
            .map((r) => ({
              label: SHORT_LABELS[r.id] ?? r.id,
              value: r.opsPerSecond,
              highlight: r.id.startsWith('ours'),
              note: `${formatFigure(r.opsPerSecond)}/s (${f2(r.ratioToOurs)}×)`,
            })),
        },
      ],
    });
  }
  if (results.backup) {
    panels.push({
      title: '2. Backup code attempt (wrong code): one scrypt evaluation whatever the count',
      unit: 'ms per attempt (lower is better)',
      groups: [
        {
          bars: results.backup.rows.map((r) => ({
            label: `${r.id.startsWith('hasher') ? 'BackupCodeHasher.findMatch' : 'service.useBackupCode'}, ${r.codes} code${r.codes === 1 ? '' : 's'}`,
            value: r.msPerAttempt,
            highlight: true,
            note: `${ms(r.msPerAttempt)} ms`,
          })),
        },
      ],
    });
  }
  if (results.guard) {
    const g = results.guard;
    panels.push({
      title: `3. Authenticated GET ${g.path}: second-factor guard overhead`,
      unit: 'requests/s (higher is better)',
      groups: [
        {
          bars: [
            {
              label: 'with the guard',
              value: g.withGuard.requestsPerSecond,
              highlight: true,
              note: `${formatFigure(g.withGuard.requestsPerSecond)}/s, p99 ${ms(g.withGuard.p99Ms)} ms`,
            },
            {
              label: 'guard removed',
              value: g.withoutGuard.requestsPerSecond,
              note: `${formatFigure(g.withoutGuard.requestsPerSecond)}/s, p99 ${ms(g.withoutGuard.p99Ms)} ms`,
            },
          ],
        },
      ],
    });
  }
  if (results.verify) {
    for (const db of results.verify.databases) {
      const concurrencies = [...new Set(db.rows.map((r) => r.concurrency))];
      panels.push({
        title: `4. Second-step verifications/s over HTTP, ${dbName(db.database)}, ${n0(db.users)} users`,
        unit: 'verifies/s (higher is better)',
        groups: concurrencies.map((c) => ({
          label: `${c} client${c === 1 ? '' : 's'}`,
          bars: db.rows
            .filter((r) => r.concurrency === c)
            .map((r) => ({
              label: CHART_LABELS[r.contender],
              value: r.verifiesPerSecond,
              highlight: r.contender === 'ours',
              note: `${formatFigure(r.verifiesPerSecond)}/s, p99 ${ms(r.p99Ms)} ms`,
            })),
        })),
      });
    }
  }
  if (results.scale?.databases.length) {
    const scale = results.scale;
    panels.push({
      title: `6. Second step at ${scale.concurrency} clients: large database against small`,
      unit: 'verifies/s (higher is better)',
      groups: scale.databases.map((db) => ({
        label: dbName(db.database),
        bars: (['small', 'large'] as const).map((label) => ({
          label: `${n0(db[label].users)} users, ${n0(db[label].auditEvents)} audit rows`,
          value: db[label].verifiesPerSecond,
          highlight: label === 'large',
          note: `${formatFigure(db[label].verifiesPerSecond)}/s, p99 ${ms(db[label].p99Ms)} ms`,
        })),
      })),
    });
  }
  return renderChart({
    title: 'secondfactor benchmarks',
    subtitle: `medians over each part's runs · ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB · Node ${results.machine.node} · ${results.machine.startedAt.slice(0, 10)}`,
    panels,
  });
}
