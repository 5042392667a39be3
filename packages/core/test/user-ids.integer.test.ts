import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { FakeClock } from '@secondfactor/test-utils';
import {
  base32Decode,
  ConfigurationError,
  hostUserId,
  MemoryTwoFactorStore,
  serviceUserId,
  TwoFactorService,
  type TwoFactorEvent,
} from '../src';
import { codeAt, PASSWORD, randomKeyring, success } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

/** A service for an app whose users have auto-increment ids; the hooks record what they were given. */
function integerService() {
  const seen: unknown[] = [];
  const events: TwoFactorEvent[] = [];
  const store = new MemoryTwoFactorStore({ quiet: true });
  const clock = new FakeClock();
  const service = new TwoFactorService({
    store,
    keyring: randomKeyring(),
    issuer: 'Acme Billing',
    userIds: 'integer',
    clock: clock.clock,
    scrypt: { log2N: 12 },
    verifyPassword: (userId, password) => {
      seen.push({ verifyPassword: userId });
      return userId === 42 && password === PASSWORD;
    },
    isEligible: (userId) => {
      seen.push({ isEligible: userId });
      return userId !== 7;
    },
    onEvent: (event) => void events.push(event),
  });
  return { service, store, clock, seen, events };
}

describe('user ids', function () {
  describe('when the service is set up with userIds: integer', function () {
    it('hands verifyPassword and isEligible numbers, and keeps strings in the store and events', async function () {
      const { service, store, clock, seen, events } = integerService();
      expect(service.userIds).to.equal('integer');
      const { secret } = success(await service.beginEnrollment({ userId: '42', accountName: 'ada@example.com' }));
      success(await service.confirmEnrollment({ userId: '42', code: codeAt(base32Decode(secret)!, clock) }));
      expect((await store.findByUserId('42'))?.userId).to.equal('42');
      success(await service.disable({ userId: '42', password: PASSWORD }));
      expect(seen).to.deep.equal([{ isEligible: 42 }, { isEligible: 42 }, { isEligible: 42 }, { verifyPassword: 42 }]);
      expect(events.map((event) => event.userId)).to.include('42');
    });

    it('S9: refuses a sub-account whose integer id the hook recognises', async function () {
      const { service } = integerService();
      expect((await service.status('7')).eligible).to.equal(false);
      const refused = await service.beginEnrollment({ userId: '7', accountName: 'clerk@example.com' });
      expect(refused.ok).to.equal(false);
      expect(!refused.ok && refused.error.code).to.equal('TWO_FACTOR_NOT_ELIGIBLE');
    });

    it('converts back with hostUserId, and refuses an id that is no integer', async function () {
      const { service } = integerService();
      expect(service.hostUserId('42')).to.equal(42);
      expect(() => service.hostUserId('42abc')).to.throw(TypeError);
      await expect(service.status('0042')).to.be.rejectedWith(TypeError);
    });
  });

  describe('when the service is set up without userIds', function () {
    it('keeps string ids for the hooks', async function () {
      const seen: unknown[] = [];
      const service = new TwoFactorService({
        store: new MemoryTwoFactorStore({ quiet: true }),
        keyring: randomKeyring(),
        issuer: 'Acme Billing',
        verifyPassword: () => false,
        isEligible: (userId) => {
          seen.push(userId);
          return true;
        },
      });
      expect(service.userIds).to.equal('string');
      await service.status('42');
      expect(seen).to.deep.equal(['42']);
      expect(service.hostUserId('42')).to.equal('42');
    });

    it('fails at setup for an unknown userIds value', function () {
      expect(
        () =>
          new TwoFactorService({
            store: new MemoryTwoFactorStore({ quiet: true }),
            keyring: randomKeyring(),
            issuer: 'Acme Billing',
            verifyPassword: () => false,
            userIds: 'uuid' as 'string',
          }),
      ).to.throw(ConfigurationError, /userIds/);
    });
  });

  describe('when ids are converted directly', function () {
    it('serviceUserId takes safe integers and non-empty strings only', function () {
      expect(serviceUserId(42)).to.equal('42');
      expect(serviceUserId('u-7')).to.equal('u-7');
      for (const bad of [1.5, Number.NaN, 2 ** 53, '', 'x'.repeat(256)])
        expect(() => serviceUserId(bad), String(bad)).to.throw(TypeError);
    });

    it('hostUserId accepts only the canonical decimal form for integers', function () {
      expect(hostUserId('integer', '0')).to.equal(0);
      expect(hostUserId('integer', '-3')).to.equal(-3);
      for (const bad of ['', '01', '1e3', ' 1', '9007199254740993', '-0'])
        expect(() => hostUserId('integer', bad), bad).to.throw(TypeError);
      expect(hostUserId('string', '01')).to.equal('01');
    });
  });
});
