/**
 * Management needs an active factor (S8, S16): a user with only a pending enrollment cannot
 * disable, regenerate or be unlocked, and the password field has a length bound of 1024.
 */
import * as chai from 'chai';
import { enroll, failure, makeService, PASSWORD, success } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when the user has only a pending enrollment', function () {
    it('S8: disable and regenerate answer 409 TWO_FACTOR_NOT_ENABLED and keep the enrollment', async function () {
      const fixture = makeService();
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      for (const outcome of [
        await fixture.service.disable({ userId: 'u1', password: PASSWORD }),
        await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD }),
      ]) {
        expect(failure(outcome).error).to.include({
          status: 409,
          code: 'TWO_FACTOR_NOT_ENABLED',
          message: 'Two-factor authentication is not enabled.',
        });
      }
      expect((await fixture.store.findByUserId('u1'))?.state).to.equal('pending');
      const types = fixture.events.map((e) => e.type);
      expect(types).to.not.include('disabled');
      expect(types).to.not.include('backup_codes.regenerated');
    });

    it('S16: an admin unlock and a recovery answer 409 TWO_FACTOR_NOT_ENABLED', async function () {
      const fixture = makeService();
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      for (const outcome of [
        await fixture.service.adminUnlock({ userId: 'u1', actorId: 'support-7' }),
        await fixture.service.unlockAfterRecovery({ userId: 'u1' }),
      ]) {
        expect(failure(outcome).error).to.include({
          status: 409,
          code: 'TWO_FACTOR_NOT_ENABLED',
          message: 'Two-factor authentication is not enabled.',
        });
      }
      expect(fixture.events.map((e) => e.type)).to.not.include('unlocked');
    });
  });

  describe('when the password is at its length bound', function () {
    it('S8: checks a password of 1024 characters, and counts it when wrong', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const outcome = failure(await fixture.service.disable({ userId: 'u1', password: 'x'.repeat(1024) }));
      expect(outcome.error).to.include({ status: 401, code: 'TWO_FACTOR_INVALID_PASSWORD' });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
    });

    it('S8: refuses a password of 1025 characters with 400 before checking it, uncounted', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const outcome = failure(await fixture.service.disable({ userId: 'u1', password: 'x'.repeat(1025) }));
      expect(outcome.error).to.include({ status: 400, code: 'TWO_FACTOR_INVALID_INPUT' });
      expect(fixture.events.at(-1)).to.include({ type: 'reauth.failed', reason: 'malformed_input' });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });

    it('S8: says that the password is required when it is missing', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const outcome = failure(await fixture.service.disable({ userId: 'u1', password: '' }));
      expect(outcome.error).to.include({ status: 400, message: 'The password is required.' });
    });
  });
});
