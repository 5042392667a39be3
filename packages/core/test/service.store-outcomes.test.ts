import * as chai from 'chai';
import { base32Decode, MemoryTwoFactorStore, type TwoFactorService, type TwoFactorStore } from '../src';
import {
  codeAt,
  enroll,
  failure,
  makeService,
  PASSWORD,
  wrongCode,
  type ServiceFixture,
} from './support/service-fixture';

const { expect } = chai;

/** A service over a memory store, and `arm`, which sets a parallel request to land at the next `method` call. */
interface Racing extends ServiceFixture {
  /** Makes the next call of the raced method run the parallel request first; returns the service. */
  arm(): TwoFactorService;
}

/**
 * A service over a memory store whose `method`, once armed, first runs `parallel`: a request that
 * lands between the service's read and its write. `store` is the memory store itself.
 */
function racingService(
  method: 'deleteByUserId' | 'replaceBackupCodes' | 'recordFailure' | 'resetFailures' | 'activate',
  parallel: (fixture: ServiceFixture) => Promise<unknown>,
): Racing {
  const memory = new MemoryTwoFactorStore({ quiet: true });
  let armed = false;
  const store = new Proxy(memory, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (property !== method) return bound;
      return async (...args: unknown[]) => {
        if (armed) {
          armed = false;
          await parallel(racing);
        }
        return bound(...args);
      };
    },
  }) as TwoFactorStore;
  const racing: Racing = {
    ...makeService({ store }),
    store: memory,
    arm: () => {
      armed = true;
      return racing.service;
    },
  };
  return racing;
}

/** The secret a started enrollment shows, as bytes. */
function secretOf(start: { ok: boolean; secret?: string }): Buffer {
  const secret = start.ok && start.secret ? base32Decode(start.secret) : null;
  if (!secret) throw new Error('expected a started enrollment');
  return secret;
}

describe('TwoFactorService', function () {
  describe('when support turns 2FA off during the password check', function () {
    it('S8: disable answers 409 TWO_FACTOR_NOT_ENABLED and emits no disabled event of its own', async function () {
      // The admin's disable lands after the user's password was accepted, before the user's delete.
      const racing = racingService('deleteByUserId', (f) => f.service.adminDisable({ userId: 'u1', actorId: 's1' }));
      await enroll(racing, 'u1');
      const outcome = failure(await racing.arm().disable({ userId: 'u1', password: PASSWORD }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(outcome.reason).to.equal('not_enabled');
      expect(racing.events.map((event) => event.type).slice(-1)).to.deep.equal(['admin.disabled']);
      expect(await racing.store.findByUserId('u1')).to.equal(null);
    });

    it('S8: new backup codes answer 409 TWO_FACTOR_NOT_ENABLED, are never stored, and nothing says they were', async function () {
      // The admin's disable lands while the new codes are hashed, before they are written.
      const racing = racingService('replaceBackupCodes', (f) =>
        f.service.adminDisable({ userId: 'u1', actorId: 's1' }),
      );
      await enroll(racing, 'u1');
      const credentialId = (await racing.store.findByUserId('u1'))?.id as string;
      const outcome = failure(await racing.arm().regenerateBackupCodes({ userId: 'u1', password: PASSWORD }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(outcome.reason).to.equal('not_enabled');
      expect(outcome).to.not.have.property('backupCodes');
      expect(await racing.store.listUnusedBackupCodeHashes(credentialId)).to.deep.equal([]);
      expect(racing.events.map((event) => event.type)).to.not.include('backup_codes.regenerated');
    });
  });

  describe('when the credential goes away before a wrong answer is counted', function () {
    it('S16: a wrong code answers 409 TWO_FACTOR_NOT_ENABLED and counts nothing', async function () {
      const racing = racingService('recordFailure', (f) => f.service.adminDisable({ userId: 'u1', actorId: 's1' }));
      const user = await enroll(racing, 'u1');
      const outcome = failure(
        await racing.arm().verifyCode({ userId: 'u1', code: wrongCode(user.secret, racing.clock) }),
      );
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(outcome.reason).to.equal('not_enabled');
      const failed = racing.events.filter((event) => event.type === 'code.failed');
      expect(failed).to.have.length(1);
      expect(failed[0]).to.include({ reason: 'not_enabled', method: 'totp' });
      expect(failed[0]).to.not.have.property('failureCount');
    });

    it('S7: a wrong confirming code after the enrollment restarted answers 409 and leaves the new one uncounted', async function () {
      const racing = racingService('recordFailure', (f) =>
        f.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com', startOver: true }),
      );
      const secret = secretOf(await racing.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const first = await racing.store.findByUserId('u1');
      const code = wrongCode(secret, racing.clock);
      const outcome = failure(await racing.arm().confirmEnrollment({ userId: 'u1', code }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NO_PENDING_ENROLLMENT' });
      expect(outcome.reason).to.equal('no_pending_enrollment');
      const current = await racing.store.findByUserId('u1');
      expect(current?.id).to.not.equal(first?.id);
      expect(current).to.include({ state: 'pending', failureCount: 0 });
      expect(racing.events.at(-1)).to.include({ type: 'enrollment.failed', reason: 'no_pending_enrollment' });
    });
  });

  describe('when the credential goes away before an unlock', function () {
    it('S16: adminUnlock answers 409 TWO_FACTOR_NOT_ENABLED and emits no unlocked event', async function () {
      const racing = racingService('resetFailures', (f) => f.service.adminDisable({ userId: 'u1', actorId: 's1' }));
      await enroll(racing, 'u1');
      const outcome = failure(await racing.arm().adminUnlock({ userId: 'u1', actorId: 's1' }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(outcome.reason).to.equal('not_enabled');
      expect(racing.events.map((event) => event.type)).to.not.include('unlocked');
    });
  });

  describe('when a state conflict is answered', function () {
    it('gives "already enabled" its own reason when enrollment starts again', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const outcome = failure(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_ALREADY_ENABLED' });
      expect(outcome.reason).to.equal('already_enabled');
    });

    it('gives a second confirm the reason already_enabled, not replayed: no code was checked', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = failure(
        await fixture.service.confirmEnrollment({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
      );
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_ALREADY_ENABLED' });
      expect(outcome.reason).to.equal('already_enabled');
      expect(fixture.events.at(-1)).to.include({ type: 'enrollment.failed', reason: 'already_enabled' });
    });

    it('gives a confirm that lost its pending credential to a parallel one the reason no_pending_enrollment', async function () {
      const racing = racingService('activate', (f) =>
        f.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com', startOver: true }),
      );
      const secret = secretOf(await racing.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const outcome = failure(
        await racing.arm().confirmEnrollment({ userId: 'u1', code: codeAt(secret, racing.clock) }),
      );
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NO_PENDING_ENROLLMENT' });
      expect(outcome.reason).to.equal('no_pending_enrollment');
      expect(await racing.store.findByUserId('u1')).to.include({ state: 'pending' });
    });
  });
});
