import * as chai from 'chai';
import { codeAt, enroll, failure, makeService, success, wrongCode } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when a valid code is verified', function () {
    it('signs in with method totp and the accepted step, and records the step', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = success(
        await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
      );
      const step = Math.floor(fixture.clock.nowMs() / 30_000);
      expect(outcome).to.deep.equal({ ok: true, method: 'totp', step });
      expect((await fixture.store.findByUserId('u1'))?.lastUsedStep).to.equal(step);
      expect(fixture.events.at(-1)).to.include({ type: 'code.verified', userId: 'u1', method: 'totp' });
    });
  });

  describe('when the same code is submitted again', function () {
    it('S12, S15: refuses the replay with 401, emits code.replayed, and does not count it', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      success(await fixture.service.verifyCode({ userId: 'u1', code, meta: { ip: '198.51.100.1' } }));
      fixture.clock.advance({ seconds: 10 });
      const replay = failure(await fixture.service.verifyCode({ userId: 'u1', code, meta: { ip: '198.51.100.2' } }));
      expect(replay.error.status).to.equal(401);
      expect(replay.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      expect(replay.reason).to.equal('replayed');
      expect(fixture.events.at(-1)).to.deep.include({
        type: 'code.replayed',
        userId: 'u1',
        reason: 'replayed',
        method: 'totp',
        ip: '198.51.100.2',
      });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });

    it('S12: refuses an older step once a newer one was used', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const previous = codeAt(user.secret, fixture.clock, -1);
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      if (previous !== codeAt(user.secret, fixture.clock)) {
        expect(failure(await fixture.service.verifyCode({ userId: 'u1', code: previous })).reason).to.equal('replayed');
      }
      fixture.clock.advance({ seconds: 30 });
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
    });

    it('S14: answers a replay exactly as a wrong code: same status, code and message', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      success(await fixture.service.verifyCode({ userId: 'u1', code }));
      const replay = failure(await fixture.service.verifyCode({ userId: 'u1', code }));
      const wrong = failure(
        await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }),
      );
      expect([replay.error.status, replay.error.code, replay.error.message]).to.deep.equal([
        wrong.error.status,
        wrong.error.code,
        wrong.error.message,
      ]);
      expect(replay.reason).to.not.equal(wrong.reason);
    });
  });

  describe('when 20 requests submit one valid code in parallel', function () {
    it('S12: exactly one signs in; the others are refused as replays', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fixture.service.verifyCode({ userId: 'u1', code, meta: { ip: `203.0.113.${i}` } }),
        ),
      );
      expect(outcomes.filter((o) => o.ok)).to.have.length(1);
      for (const refused of outcomes.filter((o) => !o.ok)) expect(failure(refused).reason).to.equal('replayed');
      expect(fixture.events.filter((e) => e.type === 'code.replayed')).to.have.length(19);
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });
  });

  describe('when a wrong code is submitted', function () {
    it('answers 401 and counts one failure', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = failure(
        await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }),
      );
      expect(outcome.error).to.include({ status: 401, code: 'TWO_FACTOR_INVALID_CODE', expose: true });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
      expect(fixture.events.at(-1)).to.include({ type: 'code.failed', reason: 'invalid_code', failureCount: 1 });
    });

    it('a later success resets the counter', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      for (let i = 0; i < 3; i++)
        failure(await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }));
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(3);
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });
  });

  describe('when the user has no active second factor', function () {
    it('answers 409 TWO_FACTOR_NOT_ENABLED for a stranger and for a pending enrollment', async function () {
      const fixture = makeService();
      expect(failure(await fixture.service.verifyCode({ userId: 'stranger', code: '123456' })).error.code).to.equal(
        'TWO_FACTOR_NOT_ENABLED',
      );
      success(await fixture.service.beginEnrollment({ userId: 'pending', accountName: 'p@example.com' }));
      const outcome = failure(await fixture.service.verifyCode({ userId: 'pending', code: '123456' }));
      expect(outcome.error.status).to.equal(409);
      expect(outcome.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
    });
  });

  describe('when authenticate gets the login form', function () {
    it('routes a code to TOTP and a backup code to the backup path', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      expect(
        success(await fixture.service.authenticate({ userId: 'u1', code: codeAt(user.secret, fixture.clock) })).method,
      ).to.equal('totp');
      expect(
        success(await fixture.service.authenticate({ userId: 'u1', backupCode: user.backupCodes[0] })).method,
      ).to.equal('backup_code');
    });

    it('S13: refuses both or neither field with 400', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      for (const input of [{}, { code: '', backupCode: '' }, { code, backupCode: user.backupCodes[0] }]) {
        const outcome = failure(await fixture.service.authenticate({ userId: 'u1', ...input }));
        expect(outcome.error.status).to.equal(400);
        expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
      }
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
      success(await fixture.service.authenticate({ userId: 'u1', code }));
    });
  });

  describe('when the code starts with a zero', function () {
    it('S1: accepts it as a string and refuses it as a number', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      // Walk forward to a step whose code has a leading zero (about one step in ten).
      while (!codeAt(user.secret, fixture.clock).startsWith('0')) fixture.clock.advance({ seconds: 30 });
      const code = codeAt(user.secret, fixture.clock);
      expect(failure(await fixture.service.verifyCode({ userId: 'u1', code: Number(code) })).error.code).to.equal(
        'TWO_FACTOR_INVALID_INPUT',
      );
      expect(
        failure(await fixture.service.verifyCode({ userId: 'u1', code: String(Number(code)) })).error.code,
      ).to.equal('TWO_FACTOR_INVALID_INPUT');
      expect(success(await fixture.service.verifyCode({ userId: 'u1', code })).method).to.equal('totp');
    });
  });
});
