/**
 * The step-up guard over the neutral request, with a fake clock (S35): a full sign-in counts as a
 * verification, a session is let through within the max age and sent to "Confirm it's you"
 * beyond it, and the way back is a same-origin path only.
 */
import * as chai from 'chai';
import { ConfigurationError, Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { staleStepUp } from '../src/step-up-guard';
import { createTwoFactorWeb, safeReturnTo, STEP_UP_SESSION_KEY, type WebRequest, type WebSession } from '../src';

const { expect } = chai;

interface User {
  id: string;
  email: string;
}

const USER: User = { id: 'u-1', email: 'ada@example.com' };

/** A clock that moves only when told to (this package does not depend on test-utils' FakeClock). */
class ManualClock {
  private ms = Date.parse('2030-01-01T00:00:00Z');
  readonly clock = () => new Date(this.ms);
  nowMs = () => this.ms;
  advance(by: { seconds: number }): void {
    this.ms += by.seconds * 1000;
  }
}

function setup() {
  const clock = new ManualClock();
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 9).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => true,
    clock: clock.clock,
  });
  let signedIn: User | undefined;
  const web = createTwoFactorWeb<User, Record<string, never>>({
    service,
    strategy: {
      verify: async () => ({ ok: false, error: new Error('not used') as never }),
      loginState: () => 'none',
      startPendingLogin: async () => undefined,
      clearPendingLogin: () => undefined,
    },
    getUser: () => signedIn,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  });
  const data: Record<string, unknown> = {};
  const session: WebSession = {
    data,
    logIn: async (user) => {
      signedIn = user as User;
    },
    regenerate: async () => data,
    forgetUser: () => undefined,
  };
  return { web, clock, session, data };
}

function request(
  session: WebSession,
  init: { method?: string; path?: string; accept?: string; query?: Record<string, string> } = {},
): WebRequest<Record<string, never>> {
  return {
    method: init.method ?? 'GET',
    path: init.path ?? '/account/payment-methods',
    params: {},
    query: init.query ?? {},
    readBody: async () => ({}),
    accept: init.accept ?? 'application/json',
    contentType: '',
    csrfToken: 'token',
    session,
    meta: {},
    native: {},
  };
}

describe('requireRecentSecondFactor', () => {
  describe('when a password-only sign-in (2FA off) just happened', () => {
    it('S35: the full sign-in counts as a verification and lets the request through', async () => {
      const { web, clock, session, data } = setup();
      await web.passwordStep(request(session, { method: 'POST', path: '/login' }), USER);
      expect(data[STEP_UP_SESSION_KEY]).to.equal(clock.nowMs());
      const guard = web.requireRecentSecondFactor({ maxAgeSeconds: 600 });
      expect(await guard(request(session))).to.equal(null);
    });
  });

  describe('when the sign-in is within the max age', () => {
    it('S35: lets the request through up to the last second', async () => {
      const { web, clock, session } = setup();
      await web.passwordStep(request(session, { method: 'POST', path: '/login' }), USER);
      const guard = web.requireRecentSecondFactor({ maxAgeSeconds: 600 });
      clock.advance({ seconds: 600 });
      expect(await guard(request(session))).to.equal(null);
    });
  });

  describe('when the sign-in is beyond the max age', () => {
    it('S35: answers JSON 401 TWO_FACTOR_STEP_UP_REQUIRED with stepUpUrl', async () => {
      const { web, clock, session } = setup();
      await web.passwordStep(request(session, { method: 'POST', path: '/login' }), USER);
      const guard = web.requireRecentSecondFactor({ maxAgeSeconds: 600 });
      clock.advance({ seconds: 601 });
      const answer = await guard(request(session, { method: 'POST' }));
      expect(answer).to.deep.include({ kind: 'json', status: 401 });
      expect((answer as { json: unknown }).json).to.deep.equal({
        error: {
          code: 'TWO_FACTOR_STEP_UP_REQUIRED',
          message: "Confirm it's you to continue.",
          stepUpUrl: '/account/security/two-factor/step-up?returnTo=%2Faccount%2Fpayment-methods',
        },
      });
    });

    it('S35: sends a browser to the step-up page with the page it was on, query included for a GET', async () => {
      const { web, clock, session } = setup();
      await web.passwordStep(request(session, { method: 'POST', path: '/login' }), USER);
      const guard = web.requireRecentSecondFactor();
      clock.advance({ seconds: 901 });
      const answer = await guard(request(session, { accept: 'text/html', query: { tab: 'cards' } }));
      expect(answer).to.deep.include({
        kind: 'redirect',
        status: 302,
        location: '/account/security/two-factor/step-up?returnTo=%2Faccount%2Fpayment-methods%3Ftab%3Dcards',
      });
    });
  });

  describe('when the session never verified', () => {
    it('S35: a session signed in some other way (no verification time) must step up', async () => {
      const { web, session } = setup();
      await session.logIn(USER);
      const answer = await web.requireRecentSecondFactor()(request(session));
      expect(answer).to.deep.include({ kind: 'json', status: 401 });
    });
  });

  describe('when nobody is signed in', () => {
    it('answers TWO_FACTOR_SIGN_IN_REQUIRED, not a step-up', async () => {
      const { web, session } = setup();
      const answer = await web.requireRecentSecondFactor()(request(session));
      expect((answer as { json: { error: { code: string } } }).json.error.code).to.equal('TWO_FACTOR_SIGN_IN_REQUIRED');
    });
  });

  describe('when the options are bad', () => {
    it('throws a ConfigurationError at setup', () => {
      const { web } = setup();
      for (const maxAgeSeconds of [0, -5, 1.5, 100_000])
        expect(() => web.requireRecentSecondFactor({ maxAgeSeconds })).to.throw(ConfigurationError);
      expect(() => web.requireRecentSecondFactor({ redirectTo: '//evil.test' })).to.throw(ConfigurationError);
    });
  });
});

describe('staleStepUp (the check of route-table rows marked stepUp)', () => {
  it('S35: sends a browser back to the management page, never to the POST it refused', async () => {
    const { web, clock, session } = setup();
    await web.passwordStep(request(session, { method: 'POST', path: '/login' }), USER);
    clock.advance({ seconds: 901 });
    const exchange = {
      request: request(session, {
        method: 'POST',
        path: '/account/security/two-factor/devices/revoke-all',
        accept: 'text/html',
      }),
      resolved: web.options,
      json: false,
    };
    expect(staleStepUp(exchange, 900, web.options.managementPrefix)).to.deep.include({
      kind: 'redirect',
      status: 303,
      location: '/account/security/two-factor/step-up?returnTo=%2Faccount%2Fsecurity%2Ftwo-factor',
    });
    expect(staleStepUp(exchange, 1000, web.options.managementPrefix)).to.equal(null);
  });
});

describe('safeReturnTo', () => {
  it('S35: keeps same-origin relative paths', () => {
    for (const path of ['/', '/account/users', '/account/payment-methods?tab=cards', '/a%20b'.replace('%20', '-')])
      expect(safeReturnTo(path)).to.equal(path);
  });

  it('S35: refuses absolute, protocol-relative and backslash URLs, encoded or not', () => {
    for (const bad of [
      '//evil.test',
      'https://evil.test',
      '/\\evil.test',
      '\\\\evil.test',
      '%2F%2Fevil.test',
      '/%2Fevil.test',
      '/%5Cevil.test',
      '/%255Cevil.test',
      '%2f%2fevil.test',
      'https%3A%2F%2Fevil.test',
      '/\tevil',
      '/%09/evil.test',
      'javascript:alert(1)',
      '',
      42,
      undefined,
      '/%E0%A4%A',
    ])
      expect(safeReturnTo(bad), String(bad)).to.equal(undefined);
  });
});
