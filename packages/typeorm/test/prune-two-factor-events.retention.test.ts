import { performance } from 'node:perf_hooks';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConfigurationError } from '@secondfactor/core';
import type { Logger } from 'typeorm';
import {
  createTypeOrmEventSink,
  listTwoFactorEvents,
  pruneTwoFactorEvents,
  TypeOrmTwoFactorStore,
  type PrunedTwoFactorEvents,
} from '../src';
import { countAuditEvents, fillAuditBacklog } from './support/audit-backlog';
import { DATABASE_LABELS, EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { currentCode, enroll, makeService } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const DAY_MS = 86_400_000;
const RETENTION_INDEX = 'IDX_two_factor_audit_events_occurred_at';

/** Records the DELETE statements TypeORM sends, with their parameters. */
class DeleteRecorder implements Logger {
  readonly deletes: Array<{ sql: string; parameters: unknown[] }> = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (/^DELETE /.test(query)) this.deletes.push({ sql: query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The database's plan for `sql`, as text. */
async function planOf(database: TestDatabase, sql: string, parameters: unknown[]): Promise<string> {
  if (database.kind === 'postgres') {
    await database.sql(`ANALYZE ${database.quote('two_factor_audit_events')}`);
    return JSON.stringify(await database.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters));
  }
  if (database.kind === 'mariadb') {
    await database.sql(`ANALYZE TABLE ${database.quote('two_factor_audit_events')}`);
    return JSON.stringify(await database.dataSource.query(`EXPLAIN ${sql}`, parameters));
  }
  return JSON.stringify(await database.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters));
}

describe('pruneTwoFactorEvents', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when the audit table holds events on both sides of the cut', function () {
      let database: TestDatabase;
      const recorder = new DeleteRecorder();

      beforeEach(async function () {
        database = await openDatabase(kind, { logger: recorder });
        recorder.deletes.length = 0;
      });

      afterEach(async function () {
        await database?.teardown();
      });

      it('S37: deletes what occurred before the cut, keeps the rest and the cut itself', async function () {
        const sink = createTypeOrmEventSink(database.dataSource);
        const cut = new Date(Date.UTC(2030, 0, 1));
        const at = (offsetMs: number) => new Date(cut.getTime() + offsetMs);
        for (const [userId, offsetMs] of [
          ['u-year-before', -365 * DAY_MS],
          ['u-ms-before', -1],
          ['u-at-cut', 0],
          ['u-ms-after', 1],
          ['u-day-after', DAY_MS],
        ] as const)
          await sink({ type: 'code.failed', userId, at: at(offsetMs), reason: 'invalid_code' });
        const pruned = await pruneTwoFactorEvents(database.dataSource, { olderThan: cut });
        expect(pruned).to.deep.equal({ deleted: 2, batches: 1 });
        const left = await database.sql<{ user_id: string }>(
          `SELECT user_id FROM ${database.quote('two_factor_audit_events')} ORDER BY occurred_at`,
        );
        expect(left.map((row) => row.user_id)).to.deep.equal(['u-at-cut', 'u-ms-after', 'u-day-after']);
        const [kept] = await listTwoFactorEvents(database.dataSource, { userId: 'u-at-cut' });
        expect(kept.occurredAt.getTime()).to.equal(cut.getTime());
      });

      it('S37: deletes in bounded batches, oldest first, one statement of ≤ batchSize rows each', async function () {
        const cut = new Date(Date.UTC(2030, 0, 1));
        await fillAuditBacklog(database, { count: 25, newest: new Date(cut.getTime() - 1000), userId: 'old' });
        await fillAuditBacklog(database, { count: 7, newest: new Date(cut.getTime() + DAY_MS), userId: 'new' });
        const batches: number[] = [];
        recorder.deletes.length = 0;
        const pruned = await pruneTwoFactorEvents(database.dataSource, {
          olderThan: cut,
          batchSize: 10,
          onProgress: (progress) => batches.push(progress.lastBatch),
        });
        expect(batches).to.deep.equal([10, 10, 5]);
        expect(pruned).to.deep.equal({ deleted: 25, batches: 3 });
        expect(recorder.deletes).to.have.length(3);
        for (const { sql } of recorder.deletes) expect(sql).to.match(/\sLIMIT 10\s*\)?$/);
        expect(await countAuditEvents(database, 'old')).to.equal(0);
        expect(await countAuditEvents(database, 'new')).to.equal(7);
      });

      it('S37: stops after one statement when nothing is old enough', async function () {
        await fillAuditBacklog(database, { count: 3, newest: new Date(Date.UTC(2030, 0, 5)), userId: 'new' });
        const pruned = await pruneTwoFactorEvents(database.dataSource, { olderThan: new Date(Date.UTC(2030, 0, 1)) });
        expect(pruned).to.deep.equal({ deleted: 0, batches: 1 });
        expect(await countAuditEvents(database)).to.equal(3);
      });

      it('S37: finds each batch through the occurred_at index, not by reading the whole table', async function () {
        const cut = new Date(Date.UTC(2030, 0, 1));
        await fillAuditBacklog(database, { count: 50, newest: new Date(cut.getTime() - 1000), userId: 'old' });
        await fillAuditBacklog(database, { count: 5000, newest: new Date(cut.getTime() + DAY_MS), userId: 'new' });
        recorder.deletes.length = 0;
        expect(await pruneTwoFactorEvents(database.dataSource, { olderThan: cut, batchSize: 10 })).to.include({
          deleted: 50,
        });
        // The statement the prune ran, with its parameters, explained after the fact.
        const [{ sql, parameters }] = recorder.deletes;
        const plan = await planOf(database, sql, parameters);
        expect(plan, plan).to.include(RETENTION_INDEX);
        if (kind === 'mariadb') expect(plan, plan).to.include('"type":"range"');
        if (kind === 'postgres') expect(plan, plan).not.to.include('Seq Scan');
        if (kind === 'sqlite-file') expect(plan, plan).not.to.match(/SCAN two_factor_audit_events(?! USING)/);
      });

      it('S37: with pauseMs, waits that long after each full batch before the next, and not after the last', async function () {
        const cut = new Date(Date.UTC(2030, 0, 1));
        await fillAuditBacklog(database, { count: 25, newest: new Date(cut.getTime() - 1000), userId: 'old' });
        const at: number[] = [];
        const started = performance.now();
        const pruned = await pruneTwoFactorEvents(database.dataSource, {
          olderThan: cut,
          batchSize: 10,
          pauseMs: 120,
          onProgress: () => at.push(performance.now()),
        });
        const finished = performance.now();
        expect(pruned).to.deep.equal({ deleted: 25, batches: 3 });
        expect(at[1] - at[0], 'pause after batch 1').to.be.at.least(115);
        expect(at[2] - at[1], 'pause after batch 2').to.be.at.least(115);
        expect(finished - at[2], 'no pause after the last batch').to.be.below(100);
        expect(finished - started).to.be.at.least(235);
        expect(await countAuditEvents(database, 'old')).to.equal(0);
      });

      it('refuses a bad cut, a batch size outside 1–50,000 or a pause outside 0–60,000 ms before touching the table', async function () {
        await fillAuditBacklog(database, { count: 3, newest: new Date(Date.UTC(2000, 0, 1)), userId: 'old' });
        const olderThan = new Date(Date.UTC(2030, 0, 1));
        for (const options of [
          { olderThan: new Date(Number.NaN) },
          { olderThan: '2030-01-01' as unknown as Date },
          { olderThan: undefined as unknown as Date },
          { olderThan, batchSize: 0 },
          { olderThan, batchSize: 50_001 },
          { olderThan, batchSize: 2.5 },
          { olderThan, pauseMs: -1 },
          { olderThan, pauseMs: 60_001 },
          { olderThan, pauseMs: 0.5 },
        ]) {
          await expect(
            pruneTwoFactorEvents(database.dataSource, options),
            String(options.olderThan),
          ).to.be.rejectedWith(ConfigurationError);
        }
        expect(await countAuditEvents(database)).to.equal(3);
      });
    });

    describe('when 100,000 old events are pruned while users sign in', function () {
      it('S37: every sign-in answers within 1 s, and exactly the old events go', async function () {
        this.timeout(600_000);
        const database = await openDatabase(kind, { extra: kind === 'sqlite-file' ? {} : { poolSize: 10 } });
        try {
          const store = new TypeOrmTwoFactorStore(database.dataSource);
          // Every sign-in writes its own audit row before it answers, into the table being pruned.
          const sink = createTypeOrmEventSink(database.dataSource);
          const users = await Promise.all(
            Array.from({ length: 4 }, async () => {
              const fixture = makeService(store, { onEvent: sink });
              return { fixture, user: await enroll(fixture) };
            }),
          );
          const cut = new Date(users[0].fixture.clock.nowMs() - 400 * DAY_MS);
          await fillAuditBacklog(database, { count: 100_000, newest: new Date(cut.getTime() - 1), userId: 'retired' });
          const keptBefore = (await countAuditEvents(database)) - 100_000;

          const signIns: Array<{ startedMs: number; endedMs: number }> = [];
          let pruning = true;
          const loops = users.map(async ({ fixture, user }) => {
            while (pruning) {
              fixture.clock.advance({ seconds: 30 });
              const startedMs = performance.now();
              const outcome = await fixture.service.verifyCode({
                userId: user.userId,
                code: currentCode(fixture, user.secret),
              });
              signIns.push({ startedMs, endedMs: performance.now() });
              expect(outcome.ok, 'every sign-in succeeds').to.equal(true);
            }
          });
          const pruneStartedMs = performance.now();
          let pruned: PrunedTwoFactorEvents;
          try {
            pruned = await pruneTwoFactorEvents(database.dataSource, { olderThan: cut });
          } finally {
            pruning = false;
          }
          const pruneMs = performance.now() - pruneStartedMs;
          await Promise.all(loops);

          const waits = signIns.map((s) => s.endedMs - s.startedMs).sort((a, b) => a - b);
          const during = signIns.filter((s) => s.startedMs >= pruneStartedMs && s.endedMs <= pruneStartedMs + pruneMs);
          console.log(
            `      ${DATABASE_LABELS[kind]}: pruned ${pruned.deleted} events in ${pruned.batches} statements ` +
              `in ${Math.round(pruneMs)} ms; ${signIns.length} sign-ins meanwhile, median ` +
              `${waits[Math.floor(waits.length / 2)].toFixed(1)} ms, slowest ${waits[waits.length - 1].toFixed(1)} ms`,
          );
          expect(pruned).to.deep.equal({ deleted: 100_000, batches: 21 });
          expect(during.length, 'sign-ins ran while the prune did').to.be.at.least(users.length);
          expect(waits[waits.length - 1], 'the slowest sign-in, in ms').to.be.below(1000);
          expect(await countAuditEvents(database, 'retired')).to.equal(0);
          expect(await countAuditEvents(database)).to.equal(keptBefore + signIns.length);
        } finally {
          await database.teardown();
        }
      });
    });
  });
});
