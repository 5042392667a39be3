/**
 * The routes over the neutral request and response, with no framework at all: what an adapter
 * hands in and what it writes out (docs/architecture.md#http-contract).
 */
import * as chai from 'chai';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb, ROUTE_TABLE, type LoginState, type WebRequest } from '../src';

const { expect } = chai;

interface Native {
  user?: { id: string; email: string };
  loginState: LoginState;
}

function setup() {
  const nowMs = Date.parse('2030-01-01T00:00:10Z');
  const clock = { clock: () => new Date(nowMs), nowMs: () => nowMs };
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 5).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => false,
    clock: clock.clock,
  });
  const seenClocks: Date[] = [];
  const web = createTwoFactorWeb<{ id: string; email: string }, Native>({
    service,
    strategy: {
      verify: async () => ({ ok: true, user: { id: 'u-1' }, method: 'totp' }),
      loginState: (session, now) => {
        seenClocks.push(now!);
        return (session as { state: LoginState }).state;
      },
    },
    getUser: (native) => native.user,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  });
  return { web, clock, seenClocks };
}

function request(native: Native, overrides: Partial<WebRequest<Native>> = {}): WebRequest<Native> {
  return {
    method: 'GET',
    path: '/account/security/two-factor',
    params: {},
    query: {},
    readBody: async () => ({}),
    accept: 'application/json',
    contentType: '',
    csrfToken: 'token',
    session: { data: { state: native.loginState }, logIn: async () => undefined },
    meta: { ip: '203.0.113.7', userAgent: 'Test' },
    native,
    ...overrides,
  };
}

describe('createTwoFactorWeb', () => {
  describe('when built', () => {
    it('binds every row of the route table, in order', () => {
      const { web } = setup();
      expect(web.routes.map(({ router, method, path }) => `${router} ${method} ${path}`)).to.deep.equal(
        ROUTE_TABLE.map(({ router, method, path }) => `${router} ${method} ${path}`),
      );
    });
  });

  describe('when a management route is asked without a login', () => {
    it('S8, S25: answers a neutral 401 JSON response with no-store, at the service clock', async () => {
      const { web, clock, seenClocks } = setup();
      const status = web.routes.find((route) => route.flow === 'status')!;
      const response = await status.handle(request({ loginState: 'none' }));
      expect(response).to.deep.equal({
        kind: 'json',
        status: 401,
        headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
        json: { error: { code: 'TWO_FACTOR_SIGN_IN_REQUIRED', message: 'Log in to continue.' } },
      });
      expect(seenClocks.map((date) => date.getTime())).to.deep.equal([clock.nowMs()]);
    });
  });

  describe('when a signed-in user asks for the status', () => {
    it('answers the status as JSON', async () => {
      const { web } = setup();
      const status = web.routes.find((route) => route.flow === 'status')!;
      const response = await status.handle(request({ loginState: 'none', user: { id: 'u-1', email: 'a@x.test' } }));
      expect(response).to.deep.include({ kind: 'json', status: 200 });
      expect(response.kind === 'json' && response.json).to.deep.equal({
        enabled: false,
        pending: false,
        eligible: true,
        backupCodesRemaining: 0,
        enabledAt: null,
        required: false,
        requiredBy: null,
      });
    });
  });

  describe('when a state change comes without a CSRF token', () => {
    it('S25: fails closed with 403 TWO_FACTOR_CSRF before reading the body', async () => {
      const { web } = setup();
      const enroll = web.routes.find((route) => route.flow === 'enroll')!;
      let bodyRead = false;
      const response = await enroll.handle(
        request(
          { loginState: 'none', user: { id: 'u-1', email: 'a@x.test' } },
          {
            method: 'POST',
            csrfToken: undefined,
            readBody: async () => {
              bodyRead = true;
              return {};
            },
          },
        ),
      );
      expect(response).to.deep.include({ kind: 'json', status: 403 });
      expect(response.kind === 'json' && response.json).to.deep.equal({
        error: { code: 'TWO_FACTOR_CSRF', message: 'This form has expired. Reload the page and try again.' },
      });
      expect(bodyRead).to.equal(false);
    });
  });

  describe('when the guard sees a browser with a pending login', () => {
    it('S20: redirects it to the challenge (302 after GET, 303 after POST)', async () => {
      const { web } = setup();
      const guard = web.requireSecondFactor();
      const html = { accept: 'text/html' };
      expect(await guard(request({ loginState: 'pending' }, html))).to.deep.include({
        kind: 'redirect',
        status: 302,
        location: '/login/two-factor',
      });
      expect(await guard(request({ loginState: 'pending' }, { ...html, method: 'POST' }))).to.deep.include({
        status: 303,
      });
      expect(await guard(request({ loginState: 'none', user: { id: 'u-1', email: 'a@x.test' } }))).to.equal(null);
    });
  });
});
