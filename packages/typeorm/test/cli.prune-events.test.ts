import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as chai from 'chai';
import { parseRetention } from '../src/cli-prune-events';
import { runCli } from '../src/cli';
import { countAuditEvents, fillAuditBacklog } from './support/audit-backlog';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';

const { expect } = chai;
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const DAY_MS = 86_400_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, as `npx secondfactor-typeorm` would. */
function runChild(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI in this process with the given environment. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('secondfactor-typeorm prune-events (CLI)', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when run as a child process with DATABASE_URL', function () {
      let database: TestDatabase;

      beforeEach(async function () {
        database = await openDatabase(kind);
        const now = Date.now();
        await fillAuditBacklog(database, { count: 23, newest: new Date(now - 401 * DAY_MS), userId: 'old' });
        await fillAuditBacklog(database, { count: 4, newest: new Date(now - 399 * DAY_MS), userId: 'recent' });
      });

      afterEach(async function () {
        await database?.teardown();
      });

      it('S37: deletes the events older than --older-than in batches and prints what it deleted', async function () {
        const startedMs = Date.now();
        const run = await runChild(['prune-events', '--older-than', '400d', '--batch-size=10'], {
          DATABASE_URL: database.url!,
        });
        expect(run.code, run.stderr).to.equal(0);
        const summary = JSON.parse(run.stdout) as { olderThan: string; deleted: number; batches: number };
        expect(summary).to.include({ deleted: 23, batches: 3 });
        expect(Date.parse(summary.olderThan)).to.be.within(startedMs - 400 * DAY_MS, Date.now() - 400 * DAY_MS);
        expect(run.stderr.trim().split('\n')).to.deep.equal([
          'batch 1: deleted 10, 10 in total',
          'batch 2: deleted 10, 20 in total',
          'batch 3: deleted 3, 23 in total',
        ]);
        expect(await countAuditEvents(database, 'old')).to.equal(0);
        expect(await countAuditEvents(database, 'recent')).to.equal(4);
      });

      it('S37: waits --pause-ms between batches and still deletes every old event', async function () {
        const startedMs = Date.now();
        const run = await runInProcess(['prune-events', '--older-than', '400d', '--batch-size=10', '--pause-ms=150'], {
          DATABASE_URL: database.url!,
        });
        expect(run.code, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout)).to.include({ deleted: 23, batches: 3 });
        // Two full batches, each followed by a pause; none after the last.
        expect(Date.now() - startedMs).to.be.at.least(300);
        expect(await countAuditEvents(database, 'old')).to.equal(0);
      });

      it('S37: takes hours too, and a second run finds nothing left', async function () {
        const hours = String(400 * 24);
        const first = await runInProcess(['prune-events', `--older-than=${hours}h`], { DATABASE_URL: database.url! });
        expect(first.code, first.stderr).to.equal(0);
        expect(JSON.parse(first.stdout)).to.include({ deleted: 23, batches: 1 });
        const again = await runInProcess(['prune-events', `--older-than=${hours}h`], { DATABASE_URL: database.url! });
        expect(JSON.parse(again.stdout)).to.include({ deleted: 0, batches: 1 });
        expect(await countAuditEvents(database)).to.equal(4);
      });
    });
  });

  describe('when the arguments are wrong', function () {
    const env = { DATABASE_URL: 'sqlite::memory:' };
    const cases: Array<[string, string[], RegExp]> = [
      ['no --older-than', ['prune-events'], /needs --older-than/],
      ['a number without a unit', ['prune-events', '--older-than', '400'], /whole number of days or hours/],
      ['minutes', ['prune-events', '--older-than', '400m'], /like 400d or 72h \(got "400m"\)/],
      ['zero', ['prune-events', '--older-than=0d'], /from 1h to 36500d/],
      ['a negative number', ['prune-events', '--older-than=-5d'], /got "-5d"/],
      ['a fraction', ['prune-events', '--older-than', '1.5d'], /got "1.5d"/],
      ['more than a century', ['prune-events', '--older-than', '36501d'], /got "36501d"/],
      ['--older-than without a value', ['prune-events', '--older-than'], /incomplete argument "--older-than"/],
      ['a batch size of 0', ['prune-events', '--older-than', '400d', '--batch-size=0'], /--batch-size must be/],
      ['a batch size over 50,000', ['prune-events', '--older-than', '400d', '--batch-size', '50001'], /1 to 50000/],
      ['a negative pause', ['prune-events', '--older-than', '400d', '--pause-ms=-1'], /--pause-ms must be/],
      ['a pause over a minute', ['prune-events', '--older-than', '400d', '--pause-ms', '60001'], /0 to 60000/],
      ['an unknown argument', ['prune-events', '--older-than', '400d', '--dry-run'], /Unknown.*"--dry-run"/],
    ];
    for (const [label, args, message] of cases) {
      it(`exits 2 with a clear message for ${label}, touching no database`, async function () {
        const run = await runInProcess(args, env);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.match(message);
        expect(run.stdout).to.equal('');
      });
    }

    it('exits 2 when DATABASE_URL is missing', async function () {
      const run = await runInProcess(['prune-events', '--older-than', '400d'], {});
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('DATABASE_URL must be set');
    });

    it('lists prune-events in the help', async function () {
      const run = await runInProcess(['--help'], {});
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include('secondfactor-typeorm prune-events --older-than <n>d|<n>h');
    });
  });

  describe('parseRetention', function () {
    it('reads days and hours into milliseconds', function () {
      expect(parseRetention('400d')).to.deep.equal({ ok: true, ms: 400 * DAY_MS });
      expect(parseRetention('72h')).to.deep.equal({ ok: true, ms: 72 * 3_600_000 });
      expect(parseRetention('36500d')).to.deep.equal({ ok: true, ms: 36_500 * DAY_MS });
      for (const bad of ['', 'd', '400', '400D', ' 400d', '400d ', '0h', '07d', '1e3d', '876001h'])
        expect(parseRetention(bad).ok, JSON.stringify(bad)).to.equal(false);
    });
  });
});
