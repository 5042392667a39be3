import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { createTypeOrmEventSink, listTwoFactorEvents, TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { currentCode, enroll, makeService, wrongCode } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('createTypeOrmEventSink', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when the service emits events', function () {
      let database: TestDatabase;

      before(async function () {
        database = await openDatabase(kind);
      });

      after(async function () {
        await database?.teardown();
      });

      it('S26: writes one row per event with type, user, reason, method, ip, user agent and time', async function () {
        const errors: unknown[] = [];
        const fixture = makeService(new TypeOrmTwoFactorStore(database.dataSource), {
          onEvent: createTypeOrmEventSink(database.dataSource),
          onEventError: (error) => void errors.push(error),
        });
        const user = await enroll(fixture);
        const meta = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' };
        await fixture.service.verifyCode({ userId: user.userId, code: wrongCode(fixture, user.secret), meta });
        fixture.clock.advance({ seconds: 1 });
        await fixture.service.verifyCode({ userId: user.userId, code: currentCode(fixture, user.secret), meta });
        expect(errors).to.deep.equal([]);
        const events = await listTwoFactorEvents(database.dataSource, { userId: user.userId });
        expect(events.map((e) => e.type).slice(0, 2)).to.deep.equal(['code.verified', 'code.failed']);
        // Enrollment started and ended at the same fake instant, so their order is not defined.
        expect(events.map((e) => e.type).slice(2)).to.have.members(['enabled', 'enrollment.started']);
        const failed = events[1];
        expect(failed).to.include({
          userId: user.userId,
          reason: 'invalid_code',
          method: 'totp',
          failureCount: 1,
          ip: meta.ip,
          userAgent: meta.userAgent,
          actorId: null,
        });
        expect(failed.occurredAt.getTime()).to.equal(fixture.clock.nowMs() - 1000);
        expect(events[0].occurredAt.getTime()).to.equal(fixture.clock.nowMs());
      });

      it('records the acting support user for admin actions (S10)', async function () {
        const fixture = makeService(new TypeOrmTwoFactorStore(database.dataSource), {
          onEvent: createTypeOrmEventSink(database.dataSource),
        });
        const user = await enroll(fixture);
        expect((await fixture.service.adminDisable({ userId: user.userId, actorId: 'support-7' })).ok).to.equal(true);
        const [latest] = await listTwoFactorEvents(database.dataSource, { userId: user.userId, limit: 1 });
        expect(latest).to.include({ type: 'admin.disabled', reason: 'admin', actorId: 'support-7' });
      });

      it('S27: stores only the named fields, never a code, even if an event carries one', async function () {
        const sink = createTypeOrmEventSink(database.dataSource);
        const event = {
          type: 'code.failed',
          userId: 'u-leak',
          at: new Date(),
          reason: 'invalid_code',
          code: '123456',
          secret: 'JBSWY3DPEHPK3PXP',
        } as unknown as Parameters<typeof sink>[0];
        await sink(event);
        const rows = await database.sql(
          `SELECT * FROM ${database.quote('two_factor_audit_events')} WHERE user_id = ?`,
          ['u-leak'],
        );
        expect(rows).to.have.length(1);
        const text = JSON.stringify(rows);
        expect(text).not.to.include('123456');
        expect(text).not.to.include('JBSWY3DPEHPK3PXP');
      });

      it('keeps an event whose client-supplied metadata is oversized, clipped to the column', async function () {
        const sink = createTypeOrmEventSink(database.dataSource);
        await sink({
          type: 'code.failed',
          userId: 'u-long',
          at: new Date(),
          userAgent: 'A'.repeat(5000),
          ip: '1'.repeat(300),
        });
        const [stored] = await listTwoFactorEvents(database.dataSource, { userId: 'u-long' });
        expect(stored.userAgent).to.have.length(512);
        expect(stored.ip).to.have.length(64);
      });

      it('reads one user’s history newest first, limited, and no one else’s', async function () {
        const sink = createTypeOrmEventSink(database.dataSource);
        for (let i = 0; i < 5; i++)
          await sink({
            type: 'code.failed',
            userId: 'u-history',
            at: new Date(Date.UTC(2030, 0, 1, 0, 0, i)),
            failureCount: i + 1,
          });
        await sink({ type: 'code.failed', userId: 'u-other', at: new Date(Date.UTC(2030, 0, 1, 0, 1, 0)) });
        const recent = await listTwoFactorEvents(database.dataSource, { userId: 'u-history', limit: 3 });
        expect(recent.map((e) => e.failureCount)).to.deep.equal([5, 4, 3]);
        expect(recent.every((e) => e.userId === 'u-history')).to.equal(true);
      });

      it('refuses a limit outside 1–500', async function () {
        await expect(listTwoFactorEvents(database.dataSource, { userId: 'x', limit: 0 })).to.be.rejectedWith(
          RangeError,
        );
        await expect(listTwoFactorEvents(database.dataSource, { userId: 'x', limit: 501 })).to.be.rejectedWith(
          RangeError,
        );
      });
    });
  });
});
