import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { InvalidUserIdError, TwoFactorService, type TwoFactorOutcome, type TwoFactorStore } from '../src';
import { enroll, failure, makeService, PASSWORD, randomKeyring, success } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

/** A store that fails the operation at its first call: the id must be refused before any. */
function untouchableStore(): TwoFactorStore {
  return new Proxy({} as TwoFactorStore, {
    get(_target, method) {
      return () => Promise.reject(new Error(`the store was called (${String(method)})`));
    },
  });
}

/** Every operation of the service, for one user id. */
function everyOperation(service: TwoFactorService, userId: string): Array<[string, Promise<TwoFactorOutcome>]> {
  return [
    ['beginEnrollment', service.beginEnrollment({ userId, accountName: 'ada@example.com' })],
    ['confirmEnrollment', service.confirmEnrollment({ userId, code: '123456' })],
    ['verifyCode', service.verifyCode({ userId, code: '123456' })],
    ['useBackupCode', service.useBackupCode({ userId, backupCode: 'ABCD-EFGH-JKMN-PQRS' })],
    ['authenticate', service.authenticate({ userId, code: '123456' })],
    ['disable', service.disable({ userId, password: PASSWORD })],
    ['regenerateBackupCodes', service.regenerateBackupCodes({ userId, password: PASSWORD })],
    ['adminDisable', service.adminDisable({ userId, actorId: 'support-1' })],
    ['adminUnlock', service.adminUnlock({ userId, actorId: 'support-1' })],
    ['unlockAfterRecovery', service.unlockAfterRecovery({ userId })],
  ];
}

describe('TwoFactorService', function () {
  describe('when a user id is not one the stores can hold', function () {
    const badIds: Array<[string, string]> = [
      ['empty', ''],
      ['256 characters long', 'u'.repeat(256)],
      ['with a NUL', 'user\u0000'],
      ['with a lone surrogate', 'user\ud800'],
      ['with a trailing space', 'user '],
    ];
    for (const [label, userId] of badIds) {
      it(`answers every operation for an id ${label} with 400 TWO_FACTOR_INVALID_USER_ID before any store call`, async function () {
        let hookCalls = 0;
        const events: unknown[] = [];
        const service = new TwoFactorService({
          store: untouchableStore(),
          keyring: randomKeyring(),
          issuer: 'Acme Billing',
          verifyPassword: async () => {
            hookCalls += 1;
            return true;
          },
          isEligible: () => {
            hookCalls += 1;
            return true;
          },
          onEvent: (event) => {
            events.push(event);
          },
        });
        for (const [name, pending] of everyOperation(service, userId)) {
          const refused = failure(await pending);
          expect(refused.error, name).to.include({ status: 400, code: 'TWO_FACTOR_INVALID_USER_ID', expose: true });
          expect(refused.reason, name).to.equal('invalid_user_id');
        }
        await expect(service.status(userId)).to.be.rejectedWith(InvalidUserIdError);
        await expect(service.isEnabled(userId)).to.be.rejectedWith(InvalidUserIdError);
        expect(hookCalls, 'verifyPassword and isEligible calls').to.equal(0);
        expect(events).to.deep.equal([]);
      });
    }

    it('S10: refuses an admin action by an actor id it could not audit, and leaves 2FA on', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const events = fixture.events.length;
      for (const actorId of ['', 'support\n1', 's'.repeat(256)]) {
        expect(failure(await fixture.service.adminDisable({ userId: 'u1', actorId })).error.code).to.equal(
          'TWO_FACTOR_INVALID_USER_ID',
        );
        expect(failure(await fixture.service.adminUnlock({ userId: 'u1', actorId })).error.code).to.equal(
          'TWO_FACTOR_INVALID_USER_ID',
        );
      }
      expect(await fixture.store.findByUserId('u1')).to.include({ state: 'active' });
      expect(fixture.events).to.have.length(events);
    });
  });

  describe('when user ids differ only in case or are as long as allowed', function () {
    it('keeps them apart and serves the longest one', async function () {
      const fixture = makeService();
      const longest = `${'é'.repeat(200)}${'😀'.repeat(27)}x`;
      expect(longest).to.have.length(255);
      await enroll(fixture, 'ada');
      success(await fixture.service.beginEnrollment({ userId: longest, accountName: 'longest@example.com' }));
      success(await fixture.service.beginEnrollment({ userId: 'Ada', accountName: 'other-ada@example.com' }));
      expect(await fixture.service.status('ada')).to.include({ enabled: true, pending: false });
      expect(await fixture.service.status('Ada')).to.include({ enabled: false, pending: true });
      expect(await fixture.service.status(longest)).to.include({ enabled: false, pending: true });
      expect((await fixture.store.findByUserId(longest))?.userId).to.equal(longest);
    });
  });
});
