/**
 * `limitAttemptsByAddress` (S32): a host route limited per client address with the password
 * throttle's window, answered like every refusal of the routes, in JSON and as a page.
 */
import * as chai from 'chai';
import {
  ConfigurationError,
  Keyring,
  MemoryPasswordThrottleStore,
  MemoryTwoFactorStore,
  PasswordThrottle,
  StoreUnavailableError,
  TwoFactorService,
} from '@secondfactor/core';
import { createTwoFactorWeb, type WebRequest } from '../src';

const { expect } = chai;

function setup() {
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 5).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => false,
  });
  return createTwoFactorWeb<{ id: string }, object>({
    service,
    strategy: { verify: async () => ({ ok: true, user: { id: 'u-1' }, method: 'totp' }), loginState: () => 'none' },
    getUser: () => undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.id,
    layout: (_native, page) => `<title>${page.title}</title>${page.body}`,
  });
}

function request(ip: string | undefined, accept = 'application/json'): WebRequest<object> {
  return {
    method: 'POST',
    path: '/register',
    params: {},
    query: {},
    readBody: async () => ({}),
    accept,
    contentType: 'application/json',
    csrfToken: 'token',
    session: { data: {}, logIn: async () => undefined },
    meta: { ip, userAgent: 'Test' },
    native: {},
  };
}

describe('limitAttemptsByAddress', () => {
  let nowMs: number;
  let guard: ReturnType<ReturnType<typeof setup>['limitAttemptsByAddress']>;

  beforeEach(() => {
    nowMs = Date.parse('2030-01-01T00:00:00Z');
    const throttle = new PasswordThrottle(new MemoryPasswordThrottleStore(), {
      policy: { addressLimit: 2 },
      clock: () => new Date(nowMs),
    });
    guard = setup().limitAttemptsByAddress(throttle);
  });

  describe('when one address passes the limit', () => {
    it('S32: answers JSON 429 TOO_MANY_ATTEMPTS with Retry-After and no-store until the window ends', async () => {
      expect(await guard(request('203.0.113.7'))).to.equal(null);
      expect(await guard(request('203.0.113.7'))).to.equal(null);
      const refused = await guard(request('203.0.113.7'));
      expect(refused).to.deep.include({ kind: 'json', status: 429 });
      expect(refused?.headers).to.include({ 'Retry-After': '600', 'Cache-Control': 'no-store' });
      expect(refused?.kind === 'json' && refused.json).to.deep.equal({
        error: { code: 'TOO_MANY_ATTEMPTS', message: 'Too many attempts. Wait a while and try again.' },
      });
      expect(await guard(request('198.51.100.1'))).to.equal(null);
      nowMs += 600_000;
      expect(await guard(request('203.0.113.7'))).to.equal(null);
    });

    it('S32: answers a browser with the error page, status 429 and Retry-After', async () => {
      for (let n = 0; n < 2; n++) await guard(request('203.0.113.7', 'text/html'));
      const refused = await guard(request('203.0.113.7', 'text/html'));
      expect(refused).to.deep.include({ kind: 'page', status: 429 });
      expect(refused?.headers['Retry-After']).to.equal('600');
      expect(refused?.kind === 'page' && refused.html).to.match(/<title>Error: [^<]+<\/title>[^]*Too many attempts/);
    });
  });

  describe('when the client address is not an IP address', () => {
    it('S32: a forged value shares the bucket of clients without an address', async () => {
      await guard(request(undefined));
      await guard(request('1.2.3.4 user=admin'));
      expect(await guard(request('not an ip'))).to.deep.include({ status: 429 });
    });
  });

  describe('when the throttle store fails', () => {
    it('answers 503 TWO_FACTOR_UNAVAILABLE, never letting the request through', async () => {
      const failing = setup().limitAttemptsByAddress({
        claimAddress: async () => {
          throw new StoreUnavailableError();
        },
      });
      expect(await failing(request('203.0.113.7'))).to.deep.include({ kind: 'json', status: 503 });
    });
  });

  describe('when set up without a throttle', () => {
    it('throws a ConfigurationError at setup', () => {
      expect(() => setup().limitAttemptsByAddress(undefined as never)).to.throw(ConfigurationError);
    });
  });
});
