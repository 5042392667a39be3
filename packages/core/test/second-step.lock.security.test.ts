/**
 * Lock behaviour of code and backup-code attempts (S16, S26): the failure that reaches
 * `maxFailures` answers 423 and emits `locked` once; attempts on a locked factor are refused
 * uncounted and never emit `locked` again, also when a parallel burst crosses the threshold.
 */
import * as chai from 'chai';
import type { SecondFactorSuccess, TwoFactorOutcome } from '../src';
import { enroll, failure, makeService, wrongCode, type Enrolled, type ServiceFixture } from './support/service-fixture';

const { expect } = chai;
const WRONG_BACKUP_CODE = 'AAAA-BBBB-CCCC-DDDD';

type Method = 'totp' | 'backup_code';

function wrongAttempt(
  fixture: ServiceFixture,
  user: Enrolled,
  method: Method,
): Promise<TwoFactorOutcome<SecondFactorSuccess>> {
  return method === 'totp'
    ? fixture.service.verifyCode({ userId: user.userId, code: wrongCode(user.secret, fixture.clock) })
    : fixture.service.useBackupCode({ userId: user.userId, backupCode: WRONG_BACKUP_CODE });
}

/** Fails `count` attempts one after another, waiting out each backoff; returns the last outcome. */
async function failInTurn(fixture: ServiceFixture, user: Enrolled, method: Method, count: number) {
  let last: TwoFactorOutcome<SecondFactorSuccess> | undefined;
  for (let i = 0; i < count; i++) {
    last = await wrongAttempt(fixture, user, method);
    const record = await fixture.store.findByUserId(user.userId);
    if (record?.backoffUntil) fixture.clock.set(record.backoffUntil.getTime());
  }
  return failure(last as TwoFactorOutcome<SecondFactorSuccess>);
}

function lockedEvents(fixture: ServiceFixture) {
  return fixture.events.filter((event) => event.type === 'locked');
}

describe('TwoFactorService', function () {
  for (const method of ['totp', 'backup_code'] as const) {
    const failedType = method === 'totp' ? 'code.failed' : 'backup_code.failed';

    describe(`when the ${method} attempt that reaches maxFailures fails`, function () {
      it('S16: the 9th failure answers 401 and the 10th answers 423 TWO_FACTOR_LOCKED', async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'u1');
        const ninth = await failInTurn(fixture, user, method, 9);
        expect(ninth.error.status).to.equal(401);
        expect(lockedEvents(fixture)).to.have.length(0);
        const tenth = failure(await wrongAttempt(fixture, user, method));
        expect(tenth.error.status).to.equal(423);
        expect(tenth.error.code).to.equal('TWO_FACTOR_LOCKED');
        expect(tenth.reason).to.equal('locked');
      });

      it('S16, S26: records the failure, then emits locked once with the method and count', async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'u1');
        await failInTurn(fixture, user, method, 10);
        const record = await fixture.store.findByUserId('u1');
        expect(record?.failureCount).to.equal(10);
        expect(record?.lockedAt?.getTime()).to.equal(fixture.clock.nowMs());
        const [failed, locked] = fixture.events.slice(-2);
        expect(failed).to.include({ type: failedType, reason: 'invalid_code', failureCount: 10, method });
        expect(locked).to.include({ type: 'locked', userId: 'u1', method, failureCount: 10 });
        expect(lockedEvents(fixture)).to.have.length(1);
      });
    });

    describe(`when ${method} attempts arrive on a locked factor`, function () {
      it('S16, S26: refuses each with 423, uncounted, as locked.attempt and never a second locked', async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'u1');
        await failInTurn(fixture, user, method, 10);
        fixture.clock.advance({ days: 1 });
        for (let i = 0; i < 3; i++) {
          const refused = failure(await wrongAttempt(fixture, user, method));
          expect(refused.error.status).to.equal(423);
          expect(fixture.events.at(-1)).to.include({ type: 'locked.attempt', reason: 'locked', method });
        }
        expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(10);
        expect(lockedEvents(fixture)).to.have.length(1);
      });
    });

    describe(`when a parallel burst of wrong ${method} attempts crosses the threshold`, function () {
      it('S16, S26: the attempts past it answer 423 and locked is emitted exactly once', async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'u1');
        await failInTurn(fixture, user, method, 8);
        // Every attempt of the burst passes the gate before any of them records its failure.
        const outcomes = await Promise.all(Array.from({ length: 5 }, () => wrongAttempt(fixture, user, method)));
        const statuses = outcomes.map((outcome) => failure(outcome).error.status).sort();
        expect(statuses).to.deep.equal([401, 423, 423, 423, 423]);
        expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(13);
        expect(lockedEvents(fixture)).to.have.length(1);
        expect(lockedEvents(fixture)[0]).to.include({ failureCount: 10, method });
      });
    });
  }

  describe('when maxFailures is 3 with 3 free attempts', function () {
    it('S16: the 3rd failure locks, with no backoff before it, and emits locked once', async function () {
      const fixture = makeService({ throttle: { maxFailures: 3, freeAttempts: 3 } });
      const user = await enroll(fixture, 'u1');
      for (const expected of [401, 401, 423]) {
        expect(failure(await wrongAttempt(fixture, user, 'totp')).error.status).to.equal(expected);
      }
      expect(lockedEvents(fixture)).to.have.length(1);
      expect(lockedEvents(fixture)[0]).to.include({ failureCount: 3 });
    });
  });
});
