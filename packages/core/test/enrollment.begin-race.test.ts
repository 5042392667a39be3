/**
 * Starting enrollment around a state change (S7): when the store refuses the pending row
 * because another request turned 2FA on meanwhile, nothing is shown; an expired setup says so.
 */
import * as chai from 'chai';
import { base32Decode, MemoryTwoFactorStore, type SavePendingInput } from '../src';
import { codeAt, failure, makeService, success, type ServiceFixture } from './support/service-fixture';

const { expect } = chai;

/** A store where another request activates 2FA between the service's read and its write. */
class ActivatedMeanwhileStore extends MemoryTwoFactorStore {
  override async savePending(_input: SavePendingInput): Promise<boolean> {
    return false;
  }
}

function serviceOver(store: MemoryTwoFactorStore): ServiceFixture {
  return { ...makeService({ store }), store };
}

describe('TwoFactorService', function () {
  describe('when the store refuses the pending enrollment because 2FA was turned on meanwhile', function () {
    it('S7: answers 409 TWO_FACTOR_ALREADY_ENABLED, shows no secret and emits no enrollment.started', async function () {
      const fixture = serviceOver(new ActivatedMeanwhileStore({ quiet: true }));
      const outcome = failure(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      expect(outcome.error).to.include({
        status: 409,
        code: 'TWO_FACTOR_ALREADY_ENABLED',
        message: 'Two-factor authentication is already enabled.',
      });
      expect(outcome).to.not.have.property('secret');
      expect(fixture.events.map((e) => e.type)).to.not.include('enrollment.started');
    });
  });

  describe('when the pending enrollment has expired', function () {
    it('S7: the confirmation says that it expired, and one never started says there is nothing to confirm', async function () {
      const fixture = makeService();
      const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      fixture.clock.advance({ minutes: 10 });
      const expired = failure(
        await fixture.service.confirmEnrollment({
          userId: 'u1',
          code: codeAt(base32Decode(start.secret) as Buffer, fixture.clock),
        }),
      );
      expect(expired.error).to.include({
        status: 409,
        code: 'TWO_FACTOR_ENROLLMENT_EXPIRED',
        message: 'The enrollment expired. Start again.',
      });
      const never = failure(await fixture.service.confirmEnrollment({ userId: 'u2', code: '123456' }));
      expect(never.error).to.include({
        code: 'TWO_FACTOR_NO_PENDING_ENROLLMENT',
        message: 'There is no enrollment to confirm. Start again.',
      });
    });
  });
});
