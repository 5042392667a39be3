import * as chai from 'chai';
import { NOTIFIABLE_EVENT_TYPES, TwoFactorService } from '../src';
import { codeAt, enroll, failure, makeService, PASSWORD, success } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when the user disables 2FA', function () {
    it('S8: refuses a wrong password with 401, counts it, and keeps 2FA on', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const outcome = failure(await fixture.service.disable({ userId: 'u1', password: 'not it' }));
      expect(outcome.error).to.include({ status: 401, code: 'TWO_FACTOR_INVALID_PASSWORD' });
      expect(outcome.reason).to.equal('wrong_password');
      expect(await fixture.store.findByUserId('u1')).to.include({ state: 'active', failureCount: 1 });
      expect(fixture.events.at(-1)).to.include({ type: 'reauth.failed', reason: 'wrong_password', failureCount: 1 });
    });

    it('S8: with the password, deletes the secret and backup codes and emits disabled', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const credentialId = (await fixture.store.findByUserId('u1'))?.id as string;
      success(await fixture.service.disable({ userId: 'u1', password: PASSWORD, meta: { ip: '192.0.2.9' } }));
      expect(await fixture.store.findByUserId('u1')).to.equal(null);
      expect(await fixture.store.listUnusedBackupCodeHashes(credentialId)).to.deep.equal([]);
      expect(await fixture.service.status('u1')).to.include({ enabled: false, backupCodesRemaining: 0 });
      expect(fixture.events.at(-1)).to.include({ type: 'disabled', userId: 'u1', reason: 'user', ip: '192.0.2.9' });
      expect(
        failure(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) })).error
          .code,
      ).to.equal('TWO_FACTOR_NOT_ENABLED');
    });

    it('S8: a new device can be enrolled afterwards', async function () {
      const fixture = makeService();
      const first = await enroll(fixture, 'u1');
      success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      const second = await enroll(fixture, 'u1');
      expect(second.secretBase32).to.not.equal(first.secretBase32);
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(second.secret, fixture.clock) }));
    });

    it('answers 409 TWO_FACTOR_NOT_ENABLED when 2FA is off', async function () {
      const { service } = makeService();
      expect(failure(await service.disable({ userId: 'u1', password: PASSWORD })).error).to.include({
        status: 409,
        code: 'TWO_FACTOR_NOT_ENABLED',
      });
    });
  });

  describe('when the account is a sub-account (isEligible answers false)', function () {
    it('S9: status answers eligible false', async function () {
      const { service } = makeService();
      expect(await service.status('sub-1')).to.include({ eligible: false, enabled: false });
    });

    it('S9: refuses begin, confirm, disable and regenerate with 403 TWO_FACTOR_NOT_ELIGIBLE, changing nothing', async function () {
      const { service, store, events } = makeService();
      const outcomes = [
        await service.beginEnrollment({ userId: 'sub-1', accountName: 'sub@example.com' }),
        await service.confirmEnrollment({ userId: 'sub-1', code: '123456' }),
        await service.disable({ userId: 'sub-1', password: PASSWORD }),
        await service.regenerateBackupCodes({ userId: 'sub-1', password: PASSWORD }),
      ];
      for (const outcome of outcomes) {
        expect(failure(outcome).error).to.include({ status: 403, code: 'TWO_FACTOR_NOT_ELIGIBLE' });
        expect(failure(outcome).reason).to.equal('not_eligible');
        expect(JSON.stringify(outcome)).to.not.include('otpauth');
      }
      expect(await store.findByUserId('sub-1')).to.equal(null);
      expect(events.filter((e) => e.type === 'not_eligible')).to.have.length(4);
    });

    it('S9: an account that became a sub-account after enrolling cannot change 2FA', async function () {
      let eligible = true;
      const fixture = makeService({ isEligible: () => eligible });
      await enroll(fixture, 'u1');
      eligible = false;
      expect(failure(await fixture.service.disable({ userId: 'u1', password: PASSWORD })).error.status).to.equal(403);
      expect(
        failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD })).error.status,
      ).to.equal(403);
      expect((await fixture.service.status('u1')).enabled).to.equal(true);
    });
  });

  describe('when support acts on a customer', function () {
    it('S10: adminDisable removes 2FA, audited with the actor and notifiable', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      success(
        await fixture.service.adminDisable({
          userId: 'u1',
          actorId: 'support-7',
          meta: { ip: '192.0.2.7', userAgent: 'admin-console' },
        }),
      );
      expect(await fixture.store.findByUserId('u1')).to.equal(null);
      const event = fixture.events.at(-1);
      expect(event).to.deep.include({
        type: 'admin.disabled',
        userId: 'u1',
        actorId: 'support-7',
        reason: 'admin',
        ip: '192.0.2.7',
        userAgent: 'admin-console',
      });
      expect(NOTIFIABLE_EVENT_TYPES.has(event?.type as never)).to.equal(true);
    });

    it('S10: adminDisable of a user without 2FA answers 409 and emits nothing', async function () {
      const fixture = makeService();
      const outcome = failure(await fixture.service.adminDisable({ userId: 'u1', actorId: 'support-7' }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(fixture.events).to.have.length(0);
    });

    it('S10: there is no way for an admin to enable 2FA', function () {
      const methods = Object.getOwnPropertyNames(TwoFactorService.prototype).filter((name) => name.startsWith('admin'));
      expect(methods.sort()).to.deep.equal(['adminDisable', 'adminUnlock']);
    });
  });
});
