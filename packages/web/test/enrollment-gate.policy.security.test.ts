/**
 * The guard with the 2FA policy (S36), over the neutral request and response: before the deadline
 * it lets a required user through; after it, JSON gets 403 `TWO_FACTOR_ENROLLMENT_REQUIRED` and a
 * browser a redirect to the enrollment start, unless the guard allows enrollment.
 */
import * as chai from 'chai';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb, SECURITY_STAMP_SESSION_KEY, type LoginState, type WebRequest } from '../src';
import { resolveOptions } from '../src/options';
import { recordSecurityStamp } from '../src/security-stamp';

const { expect } = chai;

interface Native {
  user?: { id: string; email: string };
}

function setup(graceDays: number) {
  let nowMs = Date.parse('2030-01-01T00:00:00Z');
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 5).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => false,
    isEligible: (userId) => !userId.startsWith('sub-'),
    requirement: () => ({ required: true }),
    graceDays,
    clock: () => new Date(nowMs),
  });
  const web = createTwoFactorWeb<{ id: string; email: string }, Native>({
    service,
    strategy: {
      verify: async () => ({ ok: true, user: { id: 'u-1' }, method: 'totp' }),
      loginState: (): LoginState => 'none',
    },
    getUser: (native) => native.user,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  });
  return { web, advanceDays: (days: number) => (nowMs += days * 86_400_000) };
}

function request(userId: string, accept: string): WebRequest<Native> {
  return {
    method: 'GET',
    path: '/clientarea',
    params: {},
    query: {},
    readBody: async () => ({}),
    accept,
    contentType: '',
    csrfToken: 'token',
    session: { data: {}, logIn: async () => undefined },
    meta: {},
    native: { user: { id: userId, email: `${userId}@example.com` } },
  };
}

describe('requireSecondFactor with a 2FA policy', () => {
  describe('before the deadline', () => {
    it('S36: lets a required user without 2FA through', async () => {
      const { web } = setup(14);
      expect(await web.requireSecondFactor()(request('u-1', 'application/json'))).to.equal(null);
    });
  });

  describe('after the deadline', () => {
    it('S36: answers JSON with 403 TWO_FACTOR_ENROLLMENT_REQUIRED', async () => {
      const { web, advanceDays } = setup(14);
      await web.requireSecondFactor()(request('u-1', 'application/json'));
      advanceDays(14);
      const response = await web.requireSecondFactor()(request('u-1', 'application/json'));
      expect(response).to.deep.include({ kind: 'json', status: 403 });
      expect(response?.kind === 'json' && response.json).to.deep.include({
        error: {
          code: 'TWO_FACTOR_ENROLLMENT_REQUIRED',
          message: 'Your account requires two-factor authentication. Set it up in Security Settings to continue.',
        },
      });
    });

    it('S36: sends a browser to the enrollment start', async () => {
      const { web } = setup(0);
      const response = await web.requireSecondFactor()(request('u-1', 'text/html'));
      expect(response).to.deep.include({ kind: 'redirect', location: '/account/security/two-factor' });
    });

    it("S36: lets the user through where the guard says enrollmentPolicy: 'allow'", async () => {
      const { web } = setup(0);
      expect(await web.requireSecondFactor({ enrollmentPolicy: 'allow' })(request('u-1', 'text/html'))).to.equal(null);
    });

    it('S36: never refuses a sub-account', async () => {
      const { web } = setup(0);
      expect(await web.requireSecondFactor()(request('sub-1', 'application/json'))).to.equal(null);
    });
  });

  describe('when the guard is set up', () => {
    it('refuses an enrollmentPolicy other than "enforce" or "allow"', () => {
      const { web } = setup(0);
      expect(() => web.requireSecondFactor({ enrollmentPolicy: 'skip' as never })).to.throw(/enrollmentPolicy/);
    });
  });

  describe('when the host keeps security stamps (S31)', () => {
    /** A required owner past the deadline, with stamps; counts the policy hook's calls and the store's credential reads. */
    function stamped(options: { rotates: boolean }) {
      const counts = { requirement: 0, reads: 0 };
      const store = new MemoryTwoFactorStore({ quiet: true });
      const read = store.findByUserId.bind(store);
      store.findByUserId = (userId) => {
        counts.reads++;
        return read(userId);
      };
      const service = new TwoFactorService({
        store,
        keyring: Keyring.parse(`k1:${Buffer.alloc(32, 5).toString('base64')}`),
        issuer: 'Acme Billing',
        verifyPassword: () => false,
        requirement: () => {
          counts.requirement++;
          return { required: true };
        },
        graceDays: 0,
        rotateSecurityStamp: options.rotates ? () => 'stamp-2' : undefined,
      });
      const webOptions = {
        service,
        strategy: {
          verify: async () => ({ ok: true as const, user: { id: 'u-1' }, method: 'totp' as const }),
          loginState: (): LoginState => 'none',
        },
        getUser: (native: Native) => native.user,
        getUserId: (user: { id: string }) => user.id,
        getAccountName: (user: { id: string; email: string }) => user.email,
        getSecurityStamp: () => 'stamp-1',
      };
      const web = createTwoFactorWeb<{ id: string; email: string }, Native>(webOptions);
      /** A session whose stamp was recorded at a sign-in with 2FA on or off. */
      const session = (twoFactor: 'on' | 'off', stamp = 'stamp-1'): WebRequest<Native> => {
        const req = request('u-1', 'application/json');
        recordSecurityStamp(resolveOptions(webOptions), req, { stamp }, twoFactor);
        return req;
      };
      return { web, counts, session };
    }

    it('S36: a session that signed in with 2FA on, under a current stamp, passes with no policy call and no store read', async () => {
      const { web, counts, session } = stamped({ rotates: true });
      const req = session('on');
      expect((req.session.data as Record<string, unknown>)[SECURITY_STAMP_SESSION_KEY]).to.equal('stamp-1');
      expect(await web.requireSecondFactor()(req)).to.equal(null);
      expect(counts).to.deep.equal({ requirement: 0, reads: 0 });
    });

    it('S36: a session that signed in with 2FA off asks the policy, and is refused after the deadline', async () => {
      const { web, counts, session } = stamped({ rotates: true });
      const response = await web.requireSecondFactor()(session('off'));
      expect(response).to.deep.include({ kind: 'json', status: 403 });
      expect(counts.requirement).to.equal(1);
    });

    it('S31: a stale stamp signs the session out before the shortcut could apply', async () => {
      const { web, counts, session } = stamped({ rotates: true });
      const response = await web.requireSecondFactor()(session('on', 'stamp-0'));
      expect(response).to.deep.include({ kind: 'json', status: 401 });
      expect(counts.requirement).to.equal(0);
    });

    it('S36: without rotateSecurityStamp on the service the session is not trusted: the policy is asked', async () => {
      const { web, counts, session } = stamped({ rotates: false });
      const response = await web.requireSecondFactor()(session('on'));
      expect(response).to.deep.include({ kind: 'json', status: 403 });
      expect(counts.requirement).to.equal(1);
    });
  });
});
