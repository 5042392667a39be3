/**
 * Session binding over the neutral request (S31): the guard signs out a session whose recorded
 * stamp is not the user's current one, and a full sign-in records the stamp.
 */
import * as chai from 'chai';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb, SECURITY_STAMP_SESSION_KEY, type WebRequest, type WebSession } from '../src';

const { expect } = chai;

interface User {
  id: string;
  email: string;
  stamp: string;
}

function setup(user: User) {
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 9).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => true,
  });
  let signedIn: User | undefined = user;
  const web = createTwoFactorWeb<User, Record<string, never>>({
    service,
    strategy: {
      verify: async () => ({ ok: false, error: new Error('not used') as never }),
      loginState: () => 'none',
      startPendingLogin: async () => undefined,
      clearPendingLogin: () => undefined,
    },
    getUser: () => signedIn,
    getSecurityStamp: (current) => current.stamp,
  });
  const sessionData: Record<string, unknown> = { passport: { user: user.id } };
  const session: WebSession = {
    data: sessionData,
    logIn: async () => undefined,
    regenerate: async () => sessionData,
    forgetUser: () => {
      delete sessionData.passport;
      signedIn = undefined;
    },
  };
  const request: WebRequest<Record<string, never>> = {
    method: 'GET',
    path: '/clientarea',
    params: {},
    query: {},
    readBody: async () => ({}),
    accept: 'application/json',
    contentType: '',
    csrfToken: 'token',
    session,
    meta: {},
    native: {},
  };
  return { web, request, sessionData };
}

describe('requireSecondFactor with getSecurityStamp', () => {
  describe('when the session recorded the current stamp', () => {
    it('S31: lets the request through', async () => {
      const { web, request, sessionData } = setup({ id: 'u-1', email: 'a@example.com', stamp: 's1' });
      sessionData[SECURITY_STAMP_SESSION_KEY] = 's1';
      expect(await web.requireSecondFactor()(request)).to.equal(null);
      expect(sessionData.passport).to.deep.equal({ user: 'u-1' });
    });
  });

  describe('when the stamp rotated since the session signed in', () => {
    it('S31: answers 401 TWO_FACTOR_SIGN_IN_REQUIRED and signs the session out', async () => {
      const { web, request, sessionData } = setup({ id: 'u-1', email: 'a@example.com', stamp: 's2' });
      sessionData[SECURITY_STAMP_SESSION_KEY] = 's1';
      const refusal = await web.requireSecondFactor()(request);
      expect(refusal?.status).to.equal(401);
      expect(JSON.stringify(refusal && refusal.kind === 'json' ? refusal.json : null)).to.include(
        'TWO_FACTOR_SIGN_IN_REQUIRED',
      );
      expect(sessionData).to.not.have.property('passport');
      expect(sessionData).to.not.have.property(SECURITY_STAMP_SESSION_KEY);
    });
  });

  describe('when the session recorded no stamp', () => {
    it('S31: fails closed: the session is signed out', async () => {
      const { web, request, sessionData } = setup({ id: 'u-1', email: 'a@example.com', stamp: 's1' });
      expect((await web.requireSecondFactor()(request))?.status).to.equal(401);
      expect(sessionData).to.not.have.property('passport');
    });
  });

  describe('when the password step signs a user without 2FA in', () => {
    it('S31: records the user stamp in the session', async () => {
      const user = { id: 'u-1', email: 'a@example.com', stamp: 's7' };
      const { web, request, sessionData } = setup(user);
      await web.passwordStep(request, user);
      expect(sessionData[SECURITY_STAMP_SESSION_KEY]).to.equal('s7');
      expect(await web.requireSecondFactor()(request)).to.equal(null);
    });
  });

  describe('when the option is not a function', () => {
    it('fails at setup', () => {
      expect(() =>
        createTwoFactorWeb({
          service: {} as never,
          strategy: {} as never,
          getUser: () => undefined,
          getSecurityStamp: 'x' as never,
        }),
      ).to.throw();
    });
  });
});
