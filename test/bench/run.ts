/**
 * `npm run bench`: runs the parts selected by BENCH_PARTS in one invocation, prints the figures,
 * writes test/.tmp/bench/results.json and each part's results to the store: docs/performance/
 * for a run that may publish, test/.tmp/bench/parts/ otherwise. The page (docs/performance.md and
 * docs/images/performance.svg, or their copies in test/.tmp/bench/) is rendered from the latest
 * stored results of every part, so a run of one part keeps the others' last figures.
 * `node --import tsx test/bench/run.ts --report-only` re-renders the pages from the stores
 * without measuring.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readBenchConfig } from './lib/config';
import { describeMachine } from './lib/machine';
import type { BenchPart } from './lib/config';
import { mergeParts, readParts, writeParts } from './lib/result-store';
import type { BenchResults } from './lib/results';
import { runBackupCodes } from './parts/backup-codes';
import { runGuard } from './parts/guard';
import { runMicro } from './parts/micro';
import { runScale } from './parts/scale';
import { runVerifyThroughput } from './parts/verify-throughput';
import { checkTargets, renderMarkdown, renderPerformanceChart } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const TMP = path.join(ROOT, 'test', '.tmp', 'bench');
const RESULTS_JSON = path.join(TMP, 'results.json');
/** The published parts' results, committed next to the page. */
const DOCS_STORE = path.join(ROOT, 'docs', 'performance');
/** The results of runs that may not publish; the local page merges them over the published ones. */
const TMP_STORE = path.join(TMP, 'parts');
/** Clients of part 5's load phase: part 4's highest concurrency, the load a busy site sees. */
const MEMORY_LOAD_CLIENTS = 32;

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/**
 * Renders the local page (test/.tmp/bench/) from the docs store and the local one together, the
 * latest results of every part, and with `publish` the published page from the docs store alone.
 */
function render(publish: boolean): void {
  const published = mergeParts(readParts(DOCS_STORE));
  if (publish && published) write(published, true);
  const local = mergeParts([...readParts(DOCS_STORE), ...readParts(TMP_STORE)]);
  if (local) write(local, false);
}

function write(results: BenchResults, toDocs: boolean): void {
  const dir = toDocs ? path.join(ROOT, 'docs') : TMP;
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  writeFileSync(path.join(dir, 'performance.md'), renderMarkdown(results, 'images/performance.svg'));
  writeFileSync(path.join(dir, 'images', 'performance.svg'), renderPerformanceChart(results));
  log(
    `wrote ${path.relative(ROOT, path.join(dir, 'performance.md'))} and ${path.relative(ROOT, path.join(dir, 'images', 'performance.svg'))}`,
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--report-only')) {
    render(true);
    return;
  }
  const config = readBenchConfig();
  const started = Date.now();
  const results: BenchResults = {
    machine: describeMachine(),
    runs: config.runs,
    durationSeconds: 0,
    publishable: config.writeDocs,
    sources: {},
  };
  /** Runs one part and notes when it started and how long it took. */
  const timed = async (part: BenchPart, measure: () => Promise<void>): Promise<void> => {
    const partStarted = new Date();
    await measure();
    (results.sources as NonNullable<BenchResults['sources']>)[part] = {
      startedAt: partStarted.toISOString(),
      durationSeconds: (Date.now() - partStarted.getTime()) / 1000,
      runs: config.runs,
      publishable: config.writeDocs,
    };
  };
  mkdirSync(TMP, { recursive: true });
  log(
    `parts ${config.parts.join(', ')}; ${config.runs} runs; ${results.machine.cores} cores, Node ${results.machine.node}`,
  );
  if (config.runs < 5) log(`note: ${config.runs} runs is fewer than the 5 the published figures use`);

  if (config.parts.includes('micro'))
    await timed('micro', async () => {
      log('part 1: micro verify');
      results.micro = await runMicro({ runs: config.runs, rounds: config.rounds, batchMs: config.batchMs, log });
    });
  if (config.parts.includes('backup'))
    await timed('backup', async () => {
      log('part 2: backup codes');
      // One attempt is tens of milliseconds: longer batches, fewer rounds.
      results.backup = await runBackupCodes({
        runs: config.runs,
        rounds: Math.max(2, Math.ceil(config.rounds / 2)),
        batchMs: config.batchMs * 6,
        log,
      });
    });
  if (config.parts.includes('guard'))
    await timed('guard', async () => {
      log('part 3: guard overhead');
      results.guard = await runGuard({
        runs: config.runs,
        rounds: config.guardRounds,
        seconds: config.guardSeconds,
        connections: config.guardConnections,
        tmpDir: TMP,
        log,
      });
      log('part 3 with the 2FA policy on (TWO_FACTOR_REQUIRED=owners)');
      results.guardWithPolicy = await runGuard({
        runs: config.runs,
        rounds: config.guardRounds,
        seconds: config.guardSeconds,
        connections: config.guardConnections,
        tmpDir: TMP,
        policy: true,
        log,
      });
    });
  if (config.parts.includes('verify'))
    await timed('verify', async () => {
      log(`parts 4 and 5: verify throughput and memory on ${config.databases.join(', ')}`);
      results.verify = await runVerifyThroughput({
        runs: config.runs,
        users: config.users,
        maxVerifiesPerMeasurement: config.maxVerifiesPerMeasurement,
        secondsPerMeasurement: config.verifySeconds,
        concurrency: config.concurrency,
        memoryLoad: { seconds: config.memoryLoadSeconds, clients: MEMORY_LOAD_CLIENTS },
        databases: config.databases,
        mysqlUrl: config.mysqlUrl,
        postgresUrl: config.postgresUrl,
        tmpDir: TMP,
        log,
      });
      for (const db of results.verify.databases) {
        if (db.database === 'mysql') results.machine.mariadb = db.serverVersion.replace(/^MariaDB /, '');
        else if (db.database === 'postgres') results.machine.postgres = db.serverVersion.replace(/^PostgreSQL /, '');
        else results.machine.sqlite = db.serverVersion.replace(/^SQLite /, '');
      }
    });

  if (config.parts.includes('scale'))
    await timed('scale', async () => {
      log(
        `part 6: scale on ${config.scaleDatabases.join(', ')}: ${config.scaleUsers} users and ${config.scaleEvents} audit rows against ${config.scaleSmallUsers} users`,
      );
      results.scale = await runScale({
        runs: config.runs,
        users: config.scaleUsers,
        events: config.scaleEvents,
        smallUsers: config.scaleSmallUsers,
        concurrency: config.scaleConcurrency,
        maxVerifiesPerRun: config.maxVerifiesPerMeasurement,
        prune: config.prune,
        databases: config.scaleDatabases,
        mysqlUrl: config.mysqlUrl,
        postgresUrl: config.postgresUrl,
        tmpDir: TMP,
        log,
      });
      for (const db of results.scale.databases) {
        if (db.database === 'mysql') results.machine.mariadb ??= db.serverVersion.replace(/^MariaDB /, '');
        else results.machine.postgres ??= db.serverVersion.replace(/^PostgreSQL /, '');
      }
    });

  results.durationSeconds = (Date.now() - started) / 1000;
  mkdirSync(TMP, { recursive: true });
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  for (const check of checkTargets(results))
    log(`${check.met ? 'MET    ' : 'NOT MET'} ${check.target}: ${check.measured}`);
  const store = config.writeDocs ? DOCS_STORE : TMP_STORE;
  for (const file of writeParts(store, results)) log(`stored ${path.relative(ROOT, file)}`);
  render(config.writeDocs);
  log(`done in ${Math.round(results.durationSeconds)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
