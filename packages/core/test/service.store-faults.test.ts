import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { MemoryTwoFactorStore, StoreUnavailableError, type TwoFactorStore } from '../src';
import { codeAt, enroll, makeService } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

/** A store whose database went away after enrollment. */
function failingStore(inner: MemoryTwoFactorStore, down: { value: boolean }): TwoFactorStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (down.value)
          return Promise.reject(new StoreUnavailableError(undefined, { cause: new Error('ECONNREFUSED') }));
        return value.apply(target, args);
      };
    },
  });
}

describe('TwoFactorService', function () {
  describe('when the store is unreachable', function () {
    it('rejects with the 503 StoreUnavailableError instead of answering a wrong-code 401', async function () {
      const down = { value: false };
      const inner = new MemoryTwoFactorStore({ quiet: true });
      const fixture = makeService({ store: failingStore(inner, down) });
      const user = await enroll(fixture, 'u1');
      down.value = true;
      const error = await expect(
        fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
      ).to.be.rejectedWith(StoreUnavailableError);
      expect(error).to.include({ status: 503, code: 'TWO_FACTOR_UNAVAILABLE', expose: false });
      await expect(fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] })).to.be.rejectedWith(
        StoreUnavailableError,
      );
      await expect(fixture.service.status('u1')).to.be.rejectedWith(StoreUnavailableError);
      down.value = false;
      expect((await inner.findByUserId('u1'))?.failureCount).to.equal(0);
    });
  });
});
