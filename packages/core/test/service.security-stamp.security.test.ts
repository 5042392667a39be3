import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { base32Decode } from '../src';
import { codeAt, enroll, failure, makeService, PASSWORD, success } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

/** A host's stamps: a counter per user, as a users-table column would hold them. */
function stampKeeper() {
  const stamps = new Map<string, number>();
  const rotated: string[] = [];
  const keeper = {
    rotated,
    current: (userId: string) => `stamp-${stamps.get(userId) ?? 0}`,
    /** While set, the hook fails as a host's would with its users table down. */
    down: false,
    rotate: (userId: string) => {
      if (keeper.down) throw new Error('users table down');
      rotated.push(userId);
      stamps.set(userId, (stamps.get(userId) ?? 0) + 1);
      return `stamp-${stamps.get(userId)}`;
    },
  };
  return keeper;
}

describe('TwoFactorService security stamp', function () {
  describe('when the host keeps a stamp (rotateSecurityStamp)', function () {
    it('S31: enable, disable, new backup codes and admin disable each rotate it and return the new stamp', async function () {
      const keeper = stampKeeper();
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      const start = await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'u1@example.com' });
      if (!start.ok) throw start.error;
      const confirmed = success(
        await fixture.service.confirmEnrollment({
          userId: 'u1',
          code: codeAt(base32Decode(start.secret) as Buffer, fixture.clock),
        }),
      );
      expect(confirmed.securityStamp).to.equal('stamp-1');
      const regenerated = success(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD }));
      expect(regenerated.securityStamp).to.equal('stamp-2');
      const disabled = success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(disabled.securityStamp).to.equal('stamp-3');
      await enroll(fixture, 'u1');
      success(await fixture.service.adminDisable({ userId: 'u1', actorId: 'support-1' }));
      expect(keeper.current('u1')).to.equal('stamp-5');
      expect(keeper.rotated).to.deep.equal(['u1', 'u1', 'u1', 'u1', 'u1']);
    });

    it('S31: a refused change (wrong password) rotates nothing', async function () {
      const keeper = stampKeeper();
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      await enroll(fixture, 'u1');
      failure(await fixture.service.disable({ userId: 'u1', password: 'wrong' }));
      failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: 'wrong' }));
      expect(keeper.rotated).to.deep.equal(['u1']);
    });

    it('S31: a failing hook rejects with 503 before anything changes: 2FA stays off, no codes are issued, and the code still confirms later', async function () {
      const keeper = stampKeeper();
      keeper.down = true;
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      const start = await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'u1@example.com' });
      if (!start.ok) throw start.error;
      const code = codeAt(base32Decode(start.secret) as Buffer, fixture.clock);
      const refused = fixture.service.confirmEnrollment({ userId: 'u1', code });
      await expect(refused).to.be.rejectedWith('security stamp');
      await expect(refused).to.eventually.be.rejected.and.have.property('code', 'TWO_FACTOR_UNAVAILABLE');
      expect((await fixture.service.status('u1')).enabled).to.equal(false);
      expect(fixture.events.map((e) => e.type)).not.to.include('enabled');
      keeper.down = false;
      const confirmed = success(await fixture.service.confirmEnrollment({ userId: 'u1', code }));
      expect(confirmed.backupCodes).to.have.length.greaterThan(0);
      expect(confirmed.securityStamp).to.equal('stamp-1');
    });

    it('S31: with a failing hook, new backup codes and disable change nothing: the old codes stay valid and 2FA stays on', async function () {
      const keeper = stampKeeper();
      keeper.down = false;
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      const { backupCodes } = await enroll(fixture, 'u1');
      keeper.down = true;
      await expect(fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD })).to.be.rejectedWith(
        'security stamp',
      );
      await expect(fixture.service.disable({ userId: 'u1', password: PASSWORD })).to.be.rejectedWith('security stamp');
      const status = await fixture.service.status('u1');
      expect(status.enabled).to.equal(true);
      expect(status.backupCodesRemaining).to.equal(backupCodes.length);
      keeper.down = false;
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: backupCodes[0] }));
    });

    it('S31: with a failing hook, admin disable and revoking every trusted device change nothing: 2FA stays on and the device stays trusted', async function () {
      const keeper = stampKeeper();
      keeper.down = false;
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      await enroll(fixture, 'u1');
      success(await fixture.service.trustDevice({ userId: 'u1', label: 'Firefox on Linux' }));
      const eventsBefore = fixture.events.length;
      keeper.down = true;
      const adminDisable = fixture.service.adminDisable({ userId: 'u1', actorId: 'support-1' });
      await expect(adminDisable).to.be.rejectedWith('security stamp');
      await expect(adminDisable).to.eventually.be.rejected.and.have.property('code', 'TWO_FACTOR_UNAVAILABLE');
      await expect(
        fixture.service.revokeTrustedDevices({ userId: 'u1', reason: 'user', endOtherSessions: true }),
      ).to.be.rejectedWith('security stamp');
      expect((await fixture.service.status('u1')).enabled).to.equal(true);
      expect(await fixture.service.listTrustedDevices({ userId: 'u1' })).to.have.length(1);
      expect(fixture.events).to.have.length(eventsBefore);
      keeper.down = false;
      success(await fixture.service.adminDisable({ userId: 'u1', actorId: 'support-1' }));
      expect((await fixture.service.status('u1')).enabled).to.equal(false);
    });

    it('S31: admin disable of a user without 2FA answers 409 and rotates nothing', async function () {
      const keeper = stampKeeper();
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      const refused = failure(await fixture.service.adminDisable({ userId: 'u2', actorId: 'support-1' }));
      expect(refused.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
      expect(keeper.rotated).to.deep.equal([]);
    });

    it('S31: a change that loses a race after the rotation hands the new stamp back with its refusal', async function () {
      const keeper = stampKeeper();
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      await enroll(fixture, 'u1');
      // Support turns 2FA off between the password check and the delete: this disable changes nothing.
      const store = fixture.store;
      const original = store.deleteByUserId.bind(store);
      store.deleteByUserId = async (userId: string) => {
        await original(userId);
        return false;
      };
      const refused = failure(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(refused.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
      expect(refused.securityStamp).to.equal(keeper.current('u1'));
    });

    it('S31: revoking every trusted device rotates the stamp only when asked to end the other sessions', async function () {
      const keeper = stampKeeper();
      const fixture = makeService({ rotateSecurityStamp: keeper.rotate });
      await enroll(fixture, 'u1');
      const quiet = success(await fixture.service.revokeTrustedDevices({ userId: 'u1', reason: 'password_changed' }));
      expect(quiet.securityStamp).to.equal(undefined);
      expect(keeper.rotated).to.have.length(1);
      const ending = success(
        await fixture.service.revokeTrustedDevices({ userId: 'u1', reason: 'user', endOtherSessions: true }),
      );
      expect(ending.securityStamp).to.equal('stamp-2');
      expect(keeper.current('u1')).to.equal('stamp-2');
    });

    it('S31: rotateSecurityStamp(userId) is public, for a password change', async function () {
      const keeper = stampKeeper();
      const { service } = makeService({ rotateSecurityStamp: keeper.rotate });
      expect(await service.rotateSecurityStamp('u9')).to.equal('stamp-1');
    });

    it('S31: a non-function hook fails at setup', function () {
      expect(() => makeService({ rotateSecurityStamp: 'yes' as never })).to.throw('rotateSecurityStamp');
    });
  });

  describe('when the host keeps no stamp', function () {
    it('outcomes carry no securityStamp and rotateSecurityStamp resolves to undefined', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const disabled = success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(disabled).to.deep.equal({ ok: true });
      expect(await fixture.service.rotateSecurityStamp('u1')).to.equal(undefined);
    });
  });
});
