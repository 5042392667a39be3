import * as chai from 'chai';
import { ConfigurationError, stepUpWindow, checkStepUpMaxAge, TwoFactorEventType } from '../src';
import { codeAt, enroll, failure, makeService, success, wrongCode } from './support/service-fixture';

const { expect } = chai;

describe('step-up', function () {
  describe('stepUpWindow', function () {
    describe('when the last verification is within the max age', function () {
      it('S35: is fresh up to and including the last second, until verification + max age', function () {
        const verifiedAtMs = Date.parse('2030-01-01T00:00:00Z');
        const at = (seconds: number) => new Date(verifiedAtMs + seconds * 1000);
        expect(stepUpWindow({ verifiedAtMs, now: at(0), maxAgeSeconds: 900 })).to.deep.equal({
          fresh: true,
          validUntil: at(900),
        });
        expect(stepUpWindow({ verifiedAtMs, now: at(899), maxAgeSeconds: 900 }).fresh).to.equal(true);
        expect(stepUpWindow({ verifiedAtMs, now: at(900), maxAgeSeconds: 900 }).fresh).to.equal(true);
      });
    });

    describe('when the last verification is beyond the max age', function () {
      it('S35: is stale one millisecond later, and stays stale', function () {
        const verifiedAtMs = Date.parse('2030-01-01T00:00:00Z');
        expect(
          stepUpWindow({ verifiedAtMs, now: new Date(verifiedAtMs + 900_001), maxAgeSeconds: 900 }).fresh,
        ).to.equal(false);
        expect(
          stepUpWindow({ verifiedAtMs, now: new Date(verifiedAtMs + 86_400_000), maxAgeSeconds: 900 }),
        ).to.deep.equal({
          fresh: false,
          validUntil: new Date(verifiedAtMs + 900_000),
        });
      });
    });

    describe('when the session holds no verification or a bad one', function () {
      it('S35: is stale with no validUntil', function () {
        for (const verifiedAtMs of [undefined, null, Number.NaN, Infinity]) {
          expect(stepUpWindow({ verifiedAtMs, now: new Date(), maxAgeSeconds: 900 })).to.deep.equal({
            fresh: false,
            validUntil: null,
          });
        }
      });
    });

    describe('when the verification time lies in the future (a clock moved back)', function () {
      it('S35: counts from now, so the window is never longer than one max age', function () {
        const now = new Date('2030-01-01T00:00:00Z');
        const window = stepUpWindow({ verifiedAtMs: now.getTime() + 3_600_000, now, maxAgeSeconds: 60 });
        expect(window).to.deep.equal({ fresh: true, validUntil: new Date(now.getTime() + 60_000) });
      });
    });

    describe('checkStepUpMaxAge', function () {
      it('accepts whole seconds from 1 to a day and refuses the rest at setup', function () {
        expect(checkStepUpMaxAge(900)).to.equal(900);
        expect(checkStepUpMaxAge(1)).to.equal(1);
        expect(checkStepUpMaxAge(86_400)).to.equal(86_400);
        for (const bad of [0, -1, 1.5, 86_401, '900', undefined, Number.NaN])
          expect(() => checkStepUpMaxAge(bad), String(bad)).to.throw(ConfigurationError, /maxAgeSeconds/);
      });
    });
  });

  describe('TwoFactorService.confirmStepUp', function () {
    describe('when the user confirms with the current code', function () {
      it('S35: succeeds once and is audited as step_up.confirmed', async function () {
        const fixture = makeService();
        const { userId, secret } = await enroll(fixture, 'u1');
        const outcome = success(await fixture.service.confirmStepUp({ userId, code: codeAt(secret, fixture.clock) }));
        expect(outcome.method).to.equal('totp');
        expect(fixture.events.map((event) => event.type)).to.include(TwoFactorEventType.StepUpConfirmed);
        const audited = fixture.events.find((event) => event.type === TwoFactorEventType.StepUpConfirmed);
        expect(audited).to.include({ userId, method: 'totp' });
      });
    });

    describe('when the code already signed the user in', function () {
      it('S35 S12: the same code cannot confirm a step-up', async function () {
        const fixture = makeService();
        const { userId, secret } = await enroll(fixture, 'u2');
        const code = codeAt(secret, fixture.clock);
        success(await fixture.service.authenticate({ userId, code }));
        const replay = failure(await fixture.service.confirmStepUp({ userId, code }));
        expect(replay.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        expect(replay.reason).to.equal('replayed');
        expect(fixture.events.map((event) => event.type)).to.not.include(TwoFactorEventType.StepUpConfirmed);
      });
    });

    describe('when wrong codes are sent at login and at step-up', function () {
      it('S35 S16: both count toward the one failure counter', async function () {
        const fixture = makeService();
        const { userId, secret } = await enroll(fixture, 'u3');
        failure(await fixture.service.authenticate({ userId, code: wrongCode(secret, fixture.clock) }));
        failure(await fixture.service.confirmStepUp({ userId, code: wrongCode(secret, fixture.clock) }));
        expect((await fixture.store.findByUserId(userId))?.failureCount).to.equal(2);
      });
    });

    describe('when the last backup code confirms', function () {
      it('S35 S19: it is consumed and a new one is issued', async function () {
        const fixture = makeService();
        const { userId, backupCodes } = await enroll(fixture, 'u4');
        const outcome = success(await fixture.service.confirmStepUp({ userId, backupCode: backupCodes[0] }));
        expect(outcome.backupCodes).to.have.length(1);
        failure(await fixture.service.confirmStepUp({ userId, backupCode: backupCodes[0] }));
        success(await fixture.service.confirmStepUp({ userId, backupCode: outcome.backupCodes![0] }));
      });
    });
  });

  describe('TwoFactorService.recordPasswordStepUp', function () {
    describe('when the user has no 2FA', function () {
      it('S35: audits step_up.confirmed with method password', async function () {
        const fixture = makeService();
        success(await fixture.service.recordPasswordStepUp({ userId: 'plain' }));
        expect(fixture.events.at(-1)).to.include({ type: 'step_up.confirmed', userId: 'plain', method: 'password' });
      });
    });

    describe('when the host refused a password', function () {
      it('S35 S27: audits a wrong one as reauth.failed and one refused in a backoff as throttled', async function () {
        const fixture = makeService();
        await fixture.service.recordFailedPasswordStepUp({ userId: 'plain', reason: 'wrong_password' });
        await fixture.service.recordFailedPasswordStepUp({ userId: 'plain', reason: 'backoff', retryAfterSeconds: 4 });
        expect(fixture.events.map(({ type, reason }) => ({ type, reason }))).to.deep.equal([
          { type: 'reauth.failed', reason: 'wrong_password' },
          { type: 'throttled', reason: 'backoff' },
        ]);
        expect(fixture.events[1].retryAfterSeconds).to.equal(4);
      });
    });

    describe('when the user has 2FA on', function () {
      it('S35: refuses with 409, so a password never stands in for the second factor', async function () {
        const fixture = makeService();
        const { userId } = await enroll(fixture, 'u5');
        const refused = failure(await fixture.service.recordPasswordStepUp({ userId }));
        expect(refused.error.status).to.equal(409);
        expect(fixture.events.map((event) => event.type)).to.not.include(TwoFactorEventType.StepUpConfirmed);
      });
    });
  });
});
