import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConfigurationError, TwoFactorEventType, type TwoFactorEvent } from '@secondfactor/core';
import {
  createTypeOrmEventSink,
  describeAuditBatchError,
  listTwoFactorEvents,
  TypeOrmTwoFactorStore,
  type TypeOrmEventSinkOptions,
} from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { StatementCounter } from './support/statement-counter';
import { currentCode, enroll, makeService, wrongCode } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function verified(userId: string, second: number): TwoFactorEvent {
  return {
    type: TwoFactorEventType.CodeVerified,
    userId,
    at: new Date(Date.UTC(2030, 0, 1, 0, 0, second)),
    method: 'totp',
    ip: '203.0.113.9',
  };
}

describe('createTypeOrmEventSink with batched event types', function () {
  describe('when a batch write fails or events are dropped', function () {
    it('describes it in one line: how many, lost or retried, and the error message only', function () {
      expect(describeAuditBatchError(new Error('connection refused'), { events: 3, dropped: false })).to.equal(
        'could not write 3 audit event(s), will retry: connection refused',
      );
      expect(describeAuditBatchError('queue full', { events: 1, dropped: true })).to.equal(
        'dropped 1 audit event(s): queue full',
      );
    });
  });

  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when the service emits events', function () {
      let database: TestDatabase;
      const counter = new StatementCounter();
      const rowsOf = async (userId: string) => listTwoFactorEvents(database.dataSource, { userId, limit: 500 });

      before(async function () {
        database = await openDatabase(kind, { logger: counter });
      });

      after(async function () {
        await database?.teardown();
      });

      it('S27: queues the batched type and writes the other types before returning', async function () {
        const sink = createTypeOrmEventSink(database.dataSource, { batched: ['code.verified'], batchDelayMs: 60_000 });
        const fixture = makeService(new TypeOrmTwoFactorStore(database.dataSource), { onEvent: sink });
        const user = await enroll(fixture);
        expect((await rowsOf(user.userId)).map((e) => e.type)).to.have.members(['enrollment.started', 'enabled']);
        const outcome = await fixture.service.verifyCode({
          userId: user.userId,
          code: currentCode(fixture, user.secret),
        });
        expect(outcome.ok).to.equal(true);
        expect(sink.pending).to.equal(1);
        expect((await rowsOf(user.userId)).map((e) => e.type)).not.to.include('code.verified');
        fixture.clock.advance({ seconds: 30 });
        await fixture.service.verifyCode({ userId: user.userId, code: wrongCode(fixture, user.secret) });
        expect(
          (await rowsOf(user.userId)).map((e) => e.type),
          'a failure is not batched',
        ).to.include('code.failed');
        await sink.close();
        const verifiedRows = (await rowsOf(user.userId)).filter((e) => e.type === 'code.verified');
        expect(verifiedRows).to.have.length(1);
        expect(verifiedRows[0]).to.include({ userId: user.userId, method: 'totp', reason: null });
      });

      it('writes queued events in multi-row INSERTs of power-of-two sizes, one row each with its own id and time', async function () {
        const sink = createTypeOrmEventSink(database.dataSource, {
          batched: ['code.verified'],
          batchDelayMs: 60_000,
          batchSize: 8,
        });
        for (let i = 0; i < 4; i++) await sink(verified('u-batch', i));
        counter.reset();
        await sink.flush();
        expect(counter.statements, counter.statements.join('\n')).to.have.length(1);
        expect(counter.statements[0]).to.match(/^INSERT INTO .*two_factor_audit_events/);
        for (let i = 4; i < 11; i++) await sink(verified('u-batch', i));
        counter.reset();
        await sink.flush();
        expect(counter.statements, '7 events: 4 + 2 + 1').to.have.length(3);
        const rows = await rowsOf('u-batch');
        expect(rows.map((e) => e.occurredAt.getTime())).to.deep.equal(
          [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((s) => Date.UTC(2030, 0, 1, 0, 0, s)),
        );
        expect(new Set(rows.map((e) => e.id)).size).to.equal(11);
        expect(rows.every((e) => e.ip === '203.0.113.9' && e.method === 'totp')).to.equal(true);
        await sink.close();
      });

      it('writes a full batch without waiting for the delay', async function () {
        const sink = createTypeOrmEventSink(database.dataSource, {
          batched: ['code.verified'],
          batchDelayMs: 60_000,
          batchSize: 4,
        });
        for (let i = 0; i < 4; i++) await sink(verified('u-full', i));
        const deadline = Date.now() + 3000;
        while ((await rowsOf('u-full')).length < 4 && Date.now() < deadline) await sleep(10);
        expect(await rowsOf('u-full')).to.have.length(4);
        expect(sink.pending).to.equal(0);
        await sink.close();
      });

      it('writes the queue after batchDelayMs on its own', async function () {
        const sink = createTypeOrmEventSink(database.dataSource, { batched: ['code.verified'], batchDelayMs: 20 });
        await sink(verified('u-timed', 0));
        const deadline = Date.now() + 3000;
        while ((await rowsOf('u-timed')).length < 1 && Date.now() < deadline) await sleep(10);
        expect(await rowsOf('u-timed')).to.have.length(1);
        await sink.close();
      });

      it('S27: stores only the named fields of a batched event, never a code', async function () {
        const sink = createTypeOrmEventSink(database.dataSource, { batched: ['code.verified'], batchDelayMs: 60_000 });
        await sink({
          ...verified('u-leak-batch', 0),
          code: '654321',
          secret: 'JBSWY3DPEHPK3PXP',
        } as unknown as TwoFactorEvent);
        await sink.flush();
        const text = JSON.stringify(await rowsOf('u-leak-batch'));
        expect(text).to.include('u-leak-batch');
        expect(text).not.to.include('654321');
        expect(text).not.to.include('JBSWY3DPEHPK3PXP');
        await sink.close();
      });

      it('close() writes the queue, and events after it are written before the sink returns', async function () {
        const sink = createTypeOrmEventSink(database.dataSource, { batched: ['code.verified'], batchDelayMs: 60_000 });
        await sink(verified('u-close', 0));
        await sink(verified('u-close', 1));
        await sink.close();
        expect(await rowsOf('u-close')).to.have.length(2);
        await sink(verified('u-close', 2));
        expect(sink.pending).to.equal(0);
        expect(await rowsOf('u-close')).to.have.length(3);
      });

      it('refuses an unknown event type or an out-of-range setting with a ConfigurationError', function () {
        const bad: TypeOrmEventSinkOptions[] = [
          { batched: ['code.verifed' as never] },
          { batched: 'code.verified' as never },
          { batchDelayMs: 0 },
          { batchDelayMs: 1.5 },
          { batchSize: 1001 },
          { maxQueued: 0 },
        ];
        for (const options of bad) {
          expect(() => createTypeOrmEventSink(database.dataSource, options), JSON.stringify(options)).to.throw(
            ConfigurationError,
          );
        }
      });
    });
  });
});
