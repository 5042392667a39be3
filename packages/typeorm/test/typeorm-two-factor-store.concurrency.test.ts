import * as chai from 'chai';
import { ThrottlePolicy, type TwoFactorEvent } from '@secondfactor/core';
import { TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { currentCode, enroll, makeService, wrongCode } from './support/two-factor-fixture';

const { expect } = chai;
const PARALLEL = 50;

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe(`when ${PARALLEL} requests race through the real TwoFactorService`, function () {
      let database: TestDatabase;
      let store: TypeOrmTwoFactorStore;

      before(async function () {
        // A pool of 10 connections on a server, so the requests really run side by side.
        database = await openDatabase(kind, { extra: kind === 'sqlite-file' ? {} : { poolSize: 10 } });
        store = new TypeOrmTwoFactorStore(database.dataSource);
      });

      after(async function () {
        await database?.teardown();
      });

      it(`S12: ${PARALLEL} parallel verifications of one valid code give exactly one success`, async function () {
        const fixture = makeService(store);
        const user = await enroll(fixture);
        const code = currentCode(fixture, user.secret);
        const outcomes = await Promise.all(
          Array.from({ length: PARALLEL }, () => fixture.service.verifyCode({ userId: user.userId, code })),
        );
        expect(outcomes.filter((o) => o.ok)).to.have.length(1);
        for (const failed of outcomes.filter((o) => !o.ok)) {
          expect(failed.ok === false && failed.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
          expect(failed.ok === false && failed.reason).to.equal('replayed');
        }
        const record = await store.findByUserId(user.userId);
        expect(record?.failureCount).to.equal(0);
      });

      it(`S19: ${PARALLEL} parallel uses of one backup code give exactly one success and one new code`, async function () {
        const fixture = makeService(store, { throttle: { maxFailures: 100, freeAttempts: 100 } });
        const user = await enroll(fixture);
        const outcomes = await Promise.all(
          Array.from({ length: PARALLEL }, () =>
            fixture.service.useBackupCode({ userId: user.userId, backupCode: user.backupCodes[0] }),
          ),
        );
        const successes = outcomes.filter((o) => o.ok);
        expect(successes).to.have.length(1);
        const winner = successes[0];
        const fresh = winner.ok ? winner.backupCodes : undefined;
        expect(fresh).to.have.length(1);
        const record = await store.findByUserId(user.userId);
        expect(await store.listUnusedBackupCodeHashes(record!.id)).to.have.length(1);
        const again = await fixture.service.useBackupCode({ userId: user.userId, backupCode: user.backupCodes[0] });
        expect(again.ok).to.equal(false);
        const next = await fixture.service.useBackupCode({ userId: user.userId, backupCode: fresh![0] });
        expect(next.ok).to.equal(true);
      });

      it(`S16: ${PARALLEL} parallel wrong codes lose no increment (failureCount is exactly ${PARALLEL})`, async function () {
        const fixture = makeService(store, { throttle: { maxFailures: 100, freeAttempts: 100 } });
        const user = await enroll(fixture);
        const code = wrongCode(fixture, user.secret);
        const outcomes = await Promise.all(
          Array.from({ length: PARALLEL }, () => fixture.service.verifyCode({ userId: user.userId, code })),
        );
        expect(outcomes.every((o) => !o.ok && o.error.code === 'TWO_FACTOR_INVALID_CODE')).to.equal(true);
        const record = await store.findByUserId(user.userId);
        expect(record?.failureCount).to.equal(PARALLEL);
        // 50 is within the 100 free attempts: the policy sets no backoff and no lock.
        expect(record?.backoffUntil).to.equal(null);
        expect(record?.lockedAt).to.equal(null);
      });

      it(`S16, S26: ${PARALLEL} parallel wrong codes against a lock at 10 count every evaluated attempt, lock, and emit locked once`, async function () {
        const events: TwoFactorEvent[] = [];
        const fixture = makeService(store, {
          throttle: { maxFailures: 10, freeAttempts: 10 },
          onEvent: (event) => void events.push(event),
        });
        const user = await enroll(fixture);
        const code = wrongCode(fixture, user.secret);
        const outcomes = await Promise.all(
          Array.from({ length: PARALLEL }, () => fixture.service.verifyCode({ userId: user.userId, code })),
        );
        expect(outcomes.every((o) => !o.ok)).to.equal(true);
        const record = await store.findByUserId(user.userId);
        const counted = events.filter((e) => e.type === 'code.failed' && e.reason === 'invalid_code').length;
        // Every attempt that got past the gate was counted; those refused as locked were not.
        expect(record?.failureCount).to.equal(counted);
        expect(record?.failureCount).to.be.at.least(10);
        expect(record?.lockedAt?.getTime()).to.equal(fixture.clock.nowMs());
        expect(outcomes.filter((o) => !o.ok && o.error.code === 'TWO_FACTOR_LOCKED').length).to.be.at.least(
          PARALLEL - counted,
        );
        // S26: the user is told once, by the failure that crossed the limit, not once per parallel request.
        expect(events.filter((e) => e.type === 'locked')).to.have.length(1);
      });

      it(`S7: ${PARALLEL} parallel enrollment restarts for one user all succeed and leave one pending credential`, async function () {
        // Concurrent delete-then-insert on one unique key is InnoDB's classic gap-lock deadlock;
        // the store retries the victim, so no caller sees it.
        const { service } = makeService(store);
        const userId = `user-${Date.now()}-restarts`;
        const outcomes = await Promise.all(
          Array.from({ length: PARALLEL }, () => service.beginEnrollment({ userId, accountName: 'ada@example.com' })),
        );
        expect(outcomes.filter((o) => !o.ok)).to.deep.equal([]);
        const record = await store.findByUserId(userId);
        expect(record?.state).to.equal('pending');
        const rows = await database.sql<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM ${database.quote('two_factor_credentials')} WHERE user_id = ?`,
          [userId],
        );
        expect(Number(rows[0].n)).to.equal(1);
      });

      it(`S16: ${PARALLEL} parallel recordFailure calls end with the policy's backoff for count ${PARALLEL}`, async function () {
        const fixture = makeService(store);
        const user = await enroll(fixture);
        const credential = (await store.findByUserId(user.userId))!;
        const policy = new ThrottlePolicy({ maxFailures: 100, freeAttempts: 3 });
        const now = fixture.clock.now();
        const states = await Promise.all(
          Array.from({ length: PARALLEL }, () =>
            store.recordFailure({ credentialId: credential.id, now, decide: (count) => policy.decide(count, now) }),
          ),
        );
        expect(states.map((s) => s?.failureCount ?? 0).sort((a, b) => a - b)).to.deep.equal(
          Array.from({ length: PARALLEL }, (_, i) => i + 1),
        );
        const record = await store.findByUserId(user.userId);
        expect(record?.failureCount).to.equal(PARALLEL);
        expect(record?.backoffUntil?.getTime()).to.equal(policy.decide(PARALLEL, now).backoffUntil?.getTime());
      });
    });
  });
});
