import * as chai from 'chai';
import { MemoryTwoFactorStore, type TwoFactorStore } from '../src';
import { enroll, makeService, PASSWORD, success, wrongCode } from './support/service-fixture';

const { expect } = chai;

/** A memory store that counts the calls of each method, and the service over it. */
function countingService(options: { eligible?: boolean } = {}) {
  const memory = new MemoryTwoFactorStore({ quiet: true });
  const calls: string[] = [];
  let eligibilityChecks = 0;
  const store = new Proxy(memory, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as TwoFactorStore;
  const fixture = makeService({
    store,
    isEligible: () => {
      eligibilityChecks += 1;
      return options.eligible ?? true;
    },
  });
  return { ...fixture, store: memory, calls, eligibilityChecks: () => eligibilityChecks };
}

describe('TwoFactorService', function () {
  describe('when the password step asks isEnabled', function () {
    it('S20: answers false without a credential and while enrollment is only pending', async function () {
      const fixture = makeService();
      expect(await fixture.service.isEnabled('u1')).to.equal(false);
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      expect(await fixture.service.isEnabled('u1')).to.equal(false);
    });

    it('S20: answers true once 2FA is on, and false again after it is disabled', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      expect(await fixture.service.isEnabled('u1')).to.equal(true);
      success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(await fixture.service.isEnabled('u1')).to.equal(false);
    });

    it('S16, S20: answers true for a locked factor, so a lock never lets the password alone sign in', async function () {
      const fixture = makeService({ throttle: { freeAttempts: 2, maxFailures: 2 } });
      const user = await enroll(fixture, 'u1');
      for (let i = 0; i < 2; i++)
        await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) });
      expect(await fixture.service.status('u1')).to.include({ enabled: true, locked: true });
      expect(await fixture.service.isEnabled('u1')).to.equal(true);
    });

    it('S9, S20: answers true for an account the host made ineligible after it enrolled: a factor that is on is asked for', async function () {
      const fixture = countingService({ eligible: true });
      await enroll(fixture, 'u1');
      const ineligible = makeService({ store: fixture.store, isEligible: () => false });
      expect(await ineligible.service.isEnabled('u1')).to.equal(true);
      expect((await ineligible.service.status('u1')).eligible).to.equal(false);
    });

    it('reads the credential once, and neither the eligibility hook nor the backup codes', async function () {
      const fixture = countingService();
      await enroll(fixture, 'u1');
      fixture.calls.length = 0;
      const checksBefore = fixture.eligibilityChecks();
      expect(await fixture.service.isEnabled('u1')).to.equal(true);
      expect(fixture.calls).to.deep.equal(['findByUserId']);
      expect(fixture.eligibilityChecks()).to.equal(checksBefore);
      // What the password step used to ask: three reads for the same answer.
      fixture.calls.length = 0;
      expect((await fixture.service.status('u1')).enabled).to.equal(true);
      expect(fixture.calls).to.deep.equal(['findByUserId', 'listUnusedBackupCodeHashes']);
      expect(fixture.eligibilityChecks()).to.equal(checksBefore + 1);
    });
  });
});
