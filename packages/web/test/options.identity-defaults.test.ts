import * as chai from 'chai';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb } from '../src';

const { expect } = chai;

function resolved(hooks: { getUserId?: (user: never) => string | number; getAccountName?: (user: never) => string }) {
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 5).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => false,
  });
  return createTwoFactorWeb<unknown, unknown>({
    service,
    strategy: { verify: async () => ({ ok: false, error: new Error() as never }), loginState: () => 'none' },
    getUser: () => undefined,
    ...(hooks as object),
  }).options;
}

describe('the user identity options', () => {
  describe('when getUserId and getAccountName are left out', () => {
    it("reads the user's id (string or safe integer) and email", () => {
      const options = resolved({});
      expect(options.getUserId({ id: 42 })).to.equal('42');
      expect(options.getUserId({ id: 'u-7' })).to.equal('u-7');
      expect(options.getAccountName({ email: 'ada@example.com' })).to.equal('ada@example.com');
    });

    it('fails with a TypeError that names the option to give, for users without them', () => {
      const options = resolved({});
      for (const user of [{}, { id: 1.5 }, { id: '' }])
        expect(() => options.getUserId(user), JSON.stringify(user)).to.throw(TypeError, /pass getUserId/);
      for (const user of [{}, { email: '' }, { email: 7 }])
        expect(() => options.getAccountName(user), JSON.stringify(user)).to.throw(TypeError, /pass getAccountName/);
    });
  });

  describe('when they are given', () => {
    it('uses them, and still checks the id', () => {
      const options = resolved({
        getUserId: (user: { uuid: string }) => user.uuid,
        getAccountName: (user: { login: string }) => user.login,
      });
      expect(options.getUserId({ uuid: 'm-1' })).to.equal('m-1');
      expect(options.getAccountName({ login: 'ada' })).to.equal('ada');
      expect(() => options.getUserId({})).to.throw(TypeError, /getUserId\(user\) must return/);
    });
  });
});
