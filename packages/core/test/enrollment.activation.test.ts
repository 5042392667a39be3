/**
 * The confirmation's last step: the store's `activate` is the conditional write that turns a
 * pending credential on. When it changes nothing, confirmation must fail as a whole (S7): no
 * backup code handed out, 2FA still off, no `enabled` event.
 */
import * as chai from 'chai';
import { base32Decode, MemoryTwoFactorStore, type ActivateInput } from '../src';
import { codeAt, failure, makeService, success, type ServiceFixture } from './support/service-fixture';

const { expect } = chai;

/** A store whose activation changes nothing, as when the row was replaced or already activated elsewhere. */
class RefusingActivationStore extends MemoryTwoFactorStore {
  activations = 0;

  override async activate(_input: ActivateInput): Promise<boolean> {
    this.activations += 1;
    return false;
  }
}

/** A store where another tab restarts the enrollment between the service's read and its activation. */
class RestartedMeanwhileStore extends MemoryTwoFactorStore {
  override async activate(input: ActivateInput): Promise<boolean> {
    const current = await this.findByUserId('u1');
    if (current) {
      await this.savePending({
        id: 'from-the-other-tab',
        userId: 'u1',
        encryptedSecret: current.encryptedSecret,
        keyId: current.keyId,
        pendingExpiresAt: new Date(input.now.getTime() + 600_000),
        now: input.now,
      });
    }
    return super.activate(input);
  }
}

/** The service over `store` (the fixture's own store is not the one in use). */
function serviceOver(store: MemoryTwoFactorStore): ServiceFixture {
  return { ...makeService({ store }), store };
}

async function confirmWithValidCode(fixture: ServiceFixture) {
  const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
  const credential = await fixture.store.findByUserId('u1');
  if (!credential) throw new Error('beginEnrollment stored nothing');
  const outcome = await fixture.service.confirmEnrollment({
    userId: 'u1',
    code: codeAt(base32Decode(start.secret) as Buffer, fixture.clock),
  });
  return { outcome, credentialId: credential.id };
}

describe('TwoFactorService', function () {
  describe('when the store refuses to activate a correctly confirmed enrollment', function () {
    it('S7: answers 409 TWO_FACTOR_NO_PENDING_ENROLLMENT and hands out no backup code', async function () {
      const store = new RefusingActivationStore({ quiet: true });
      const fixture = serviceOver(store);
      const { outcome } = await confirmWithValidCode(fixture);
      expect(store.activations).to.equal(1);
      const refused = failure(outcome);
      expect(refused.error.status).to.equal(409);
      expect(refused.error.code).to.equal('TWO_FACTOR_NO_PENDING_ENROLLMENT');
      expect(refused).to.not.have.property('backupCodes');
    });

    it('S7: leaves 2FA off, with no stored backup codes and no enabled event', async function () {
      const store = new RefusingActivationStore({ quiet: true });
      const fixture = serviceOver(store);
      const { credentialId } = await confirmWithValidCode(fixture);
      const status = await fixture.service.status('u1');
      expect(status).to.include({ enabled: false, pending: true, backupCodesRemaining: 0 });
      expect(await fixture.store.listUnusedBackupCodeHashes(credentialId)).to.deep.equal([]);
      expect(fixture.events.map((e) => e.type)).to.not.include('enabled');
      expect(fixture.events.at(-1)).to.include({
        type: 'enrollment.failed',
        userId: 'u1',
        reason: 'no_pending_enrollment',
      });
    });

    it('S7: gives the failure the reason no_pending_enrollment, as its event does', async function () {
      const fixture = serviceOver(new RefusingActivationStore({ quiet: true }));
      const { outcome } = await confirmWithValidCode(fixture);
      expect(failure(outcome).reason).to.equal('no_pending_enrollment');
    });
  });

  describe('when another tab restarts the enrollment while a confirmation is being written', function () {
    it('S7: the confirmation fails and only the new pending enrollment remains', async function () {
      const fixture = serviceOver(new RestartedMeanwhileStore({ quiet: true }));
      const { outcome, credentialId } = await confirmWithValidCode(fixture);
      expect(failure(outcome).error.code).to.equal('TWO_FACTOR_NO_PENDING_ENROLLMENT');
      const record = await fixture.store.findByUserId('u1');
      expect(record).to.include({ id: 'from-the-other-tab', state: 'pending' });
      expect(await fixture.store.listUnusedBackupCodeHashes(credentialId)).to.deep.equal([]);
      expect((await fixture.service.status('u1')).enabled).to.equal(false);
    });
  });
});
