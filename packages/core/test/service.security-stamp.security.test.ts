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
  return {
    rotated,
    current: (userId: string) => `stamp-${stamps.get(userId) ?? 0}`,
    rotate: (userId: string) => {
      rotated.push(userId);
      stamps.set(userId, (stamps.get(userId) ?? 0) + 1);
      return `stamp-${stamps.get(userId)}`;
    },
  };
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

    it('S31: a failing hook rejects with 503 TWO_FACTOR_UNAVAILABLE, and the change is still audited', async function () {
      const fixture = makeService({
        rotateSecurityStamp: () => {
          throw new Error('users table down');
        },
      });
      const start = await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'u1@example.com' });
      if (!start.ok) throw start.error;
      await expect(
        fixture.service.confirmEnrollment({
          userId: 'u1',
          code: codeAt(base32Decode(start.secret) as Buffer, fixture.clock),
        }),
      ).to.be.rejectedWith('security stamp');
      expect(fixture.events.at(-1)).to.include({ type: 'enabled', userId: 'u1' });
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
