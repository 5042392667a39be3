import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { DEFAULT_THROTTLE_POLICY, type TwoFactorOutcome } from '../src';
import { enroll, failure, makeService, PASSWORD, success, type ServiceFixture } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const { freeAttempts, maxFailures } = DEFAULT_THROTTLE_POLICY;
/** Guesses the policy lets run at one instant: the free ones, and the one whose failure starts the backoff. */
const AT_ONE_INSTANT = freeAttempts + 1;

interface CountingFixture extends ServiceFixture {
  /** verifyPassword calls so far. */
  checks: { count: number };
}

/** A service whose verifyPassword counts its calls and yields like a password hash, so parallel calls overlap. */
function countingService(onCorrect?: (fixture: ServiceFixture) => Promise<void>): CountingFixture {
  const checks = { count: 0 };
  const fixture: ServiceFixture = makeService({
    verifyPassword: async (_userId, password) => {
      checks.count += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (password === PASSWORD && onCorrect) await onCorrect(fixture);
      return password === PASSWORD;
    },
  });
  return { ...fixture, checks };
}

function statuses(outcomes: readonly TwoFactorOutcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const outcome of outcomes) {
    const status = outcome.ok ? 200 : outcome.error.status;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** Wrong passwords one after another, waiting out each backoff, until the factor locks. */
async function lockWithWrongPasswords(fixture: CountingFixture): Promise<void> {
  for (let i = 0; i < maxFailures; i++) {
    failure(await fixture.service.disable({ userId: 'u1', password: `guess ${i}` }));
    const record = await fixture.store.findByUserId('u1');
    if (record?.backoffUntil) fixture.clock.set(record.backoffUntil.getTime() + 1000);
  }
  expect((await fixture.service.status('u1')).locked).to.equal(true);
}

describe('TwoFactorService', function () {
  describe('when 40 wrong passwords arrive in parallel', function () {
    it(`S29: only ${AT_ONE_INSTANT} reach verifyPassword, as in sequence; the rest get 429, uncounted`, async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => fixture.service.disable({ userId: 'u1', password: `guess ${i}` })),
      );
      expect(fixture.checks.count).to.equal(AT_ONE_INSTANT);
      expect(statuses(outcomes)).to.deep.equal({ 401: AT_ONE_INSTANT, 429: 40 - AT_ONE_INSTANT });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(AT_ONE_INSTANT);
      const failed = fixture.events.filter((e) => e.type === 'reauth.failed');
      expect(failed.map((e) => e.failureCount).sort()).to.deep.equal([1, 2, 3, 4]);
      expect(failed.every((e) => e.reason === 'wrong_password')).to.equal(true);
      expect(fixture.events.filter((e) => e.type === 'throttled')).to.have.length(40 - AT_ONE_INSTANT);
    });

    it('S29: with 39 wrong and the correct one last, the correct one does not get through', async function () {
      const fixture = countingService();
      const user = await enroll(fixture, 'u1');
      const passwords = [...Array.from({ length: 39 }, (_, i) => `guess ${i}`), PASSWORD];
      const outcomes = await Promise.all(
        passwords.map((password) => fixture.service.regenerateBackupCodes({ userId: 'u1', password })),
      );
      expect(outcomes.filter((outcome) => outcome.ok)).to.deep.equal([]);
      expect(fixture.checks.count).to.equal(AT_ONE_INSTANT);
      expect(fixture.events.map((e) => e.type)).to.not.include('backup_codes.regenerated');
      fixture.clock.advance({ minutes: 1 });
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
    });
  });

  describe('when the factor is locked', function () {
    it('S29: 500 guesses at the same instant run no password check, and the correct password gets 423', async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      await lockWithWrongPasswords(fixture);
      expect(fixture.checks.count).to.equal(maxFailures);
      const eventsBefore = fixture.events.length;
      const outcomes = await Promise.all(
        Array.from({ length: 500 }, (_, i) => fixture.service.disable({ userId: 'u1', password: `late ${i}` })),
      );
      expect(statuses(outcomes)).to.deep.equal({ 423: 500 });
      const correct = failure(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(correct.error).to.include({ status: 423, code: 'TWO_FACTOR_LOCKED' });
      expect(fixture.checks.count, 'password checks after the lock').to.equal(maxFailures);
      expect(await fixture.service.status('u1')).to.include({ enabled: true, locked: true });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(maxFailures);
      const refusals = fixture.events.slice(eventsBefore);
      expect(refusals).to.have.length(501);
      expect(refusals.every((e) => e.type === 'locked.attempt' && e.reason === 'locked')).to.equal(true);
    });

    it('S29: the lock lifts only by an admin unlock or a recovery, and then the password works', async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      await lockWithWrongPasswords(fixture);
      fixture.clock.advance({ days: 365 });
      expect(
        failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD })).error.status,
      ).to.equal(423);
      success(await fixture.service.adminUnlock({ userId: 'u1', actorId: 'support-7' }));
      success(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD }));
      expect(fixture.events.filter((e) => e.type === 'locked')).to.have.length(1);
    });
  });

  describe('when a failure is counted while the correct password is checked', function () {
    it('S29: the correct password is voided and answered exactly like a wrong one', async function () {
      const fixture = countingService(async ({ store }) => {
        const record = await store.findByUserId('u1');
        await store.recordFailure({
          credentialId: record?.id as string,
          now: new Date(),
          decide: () => ({ backoffUntil: null, lock: false }),
        });
      });
      await enroll(fixture, 'u1');
      const voided = failure(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      const wrong = failure(await makeServiceWithOneWrongPassword());
      expect({ status: voided.error.status, code: voided.error.code, message: voided.error.message }).to.deep.equal({
        status: wrong.error.status,
        code: wrong.error.code,
        message: wrong.error.message,
      });
      expect(voided.reason).to.equal('concurrent_failure');
      expect(fixture.events.at(-1)).to.include({
        type: 'reauth.failed',
        reason: 'concurrent_failure',
        failureCount: 1,
      });
      expect(await fixture.service.status('u1')).to.include({ enabled: true });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(2);
    });

    async function makeServiceWithOneWrongPassword(): Promise<TwoFactorOutcome> {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      return fixture.service.disable({ userId: 'u1', password: 'not it' });
    }
  });

  describe('when the correct password follows wrong ones within the free attempts', function () {
    it('S16, S29: it is accepted and the counter is reset', async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      for (let i = 0; i < freeAttempts; i++)
        failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: `guess ${i}` }));
      success(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD }));
      expect(await fixture.store.findByUserId('u1')).to.include({
        failureCount: 0,
        backoffUntil: null,
        lockedAt: null,
      });
    });
  });

  describe('when verifyPassword throws', function () {
    it('S29: the attempt stays counted and the call rejects', async function () {
      const fixture = makeService({
        verifyPassword: () => {
          throw new Error('user database down');
        },
      });
      await enroll(fixture, 'u1');
      await expect(fixture.service.disable({ userId: 'u1', password: PASSWORD })).to.be.rejectedWith(
        'user database down',
      );
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
      expect(await fixture.service.status('u1')).to.include({ enabled: true });
    });
  });

  describe('when the host checks a password for its own change (reauthenticate)', function () {
    it('S29: shares the counter: parallel wrong passwords get as many checks as in sequence, and the lock stops the right one', async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      const burst = await Promise.all(
        Array.from({ length: 12 }, (_, i) => fixture.service.reauthenticate({ userId: 'u1', password: `guess ${i}` })),
      );
      expect(statuses(burst)).to.deep.equal({ 401: AT_ONE_INSTANT, 429: 12 - AT_ONE_INSTANT });
      expect(fixture.checks.count).to.equal(AT_ONE_INSTANT);
      await lockWithWrongPasswords(fixture);
      const checksBefore = fixture.checks.count;
      const refused = failure(await fixture.service.reauthenticate({ userId: 'u1', password: PASSWORD }));
      expect(refused.error.status).to.equal(423);
      expect(fixture.checks.count).to.equal(checksBefore);
    });

    it('S29: the right password passes and resets the counter; a user without 2FA gets 409 TWO_FACTOR_NOT_ENABLED', async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      failure(await fixture.service.reauthenticate({ userId: 'u1', password: 'wrong' }));
      success(await fixture.service.reauthenticate({ userId: 'u1', password: PASSWORD }));
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
      const none = failure(await fixture.service.reauthenticate({ userId: 'u2', password: PASSWORD }));
      expect(none.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
    });
  });
});
