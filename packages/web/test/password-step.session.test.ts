/**
 * The one-call password step over the neutral request: a user with 2FA on is left with only a
 * pending login on a new session id (S20, S23); a session that cannot change its id is refused.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConfigurationError, Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb, type WebRequest, type WebSession } from '../src';

chai.use(chaiAsPromised);
const { expect } = chai;

interface User {
  id: string;
  email: string;
}

async function setup(enabled: boolean) {
  const store = new MemoryTwoFactorStore({ quiet: true });
  const service = new TwoFactorService({
    store,
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 9).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => true,
  });
  if (enabled) {
    const now = new Date();
    await store.savePending({
      id: '00000000-0000-4000-8000-000000000001',
      userId: 'u-1',
      encryptedSecret: 'unused',
      keyId: 'k1',
      pendingExpiresAt: new Date(now.getTime() + 60_000),
      now,
    });
    await store.activate({ credentialId: '00000000-0000-4000-8000-000000000001', step: 1, backupCodeHashes: [], now });
  }
  const started: object[] = [];
  const web = createTwoFactorWeb<User, Record<string, never>>({
    service,
    strategy: {
      verify: async () => ({ ok: false, error: new Error('not used') as never }),
      loginState: () => 'none',
      startPendingLogin: async (session: object) => {
        started.push(session);
      },
      clearPendingLogin: () => undefined,
    },
    getUser: () => undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  });
  return { web, started };
}

function request(session: WebSession): WebRequest<Record<string, never>> {
  return {
    method: 'POST',
    path: '/login',
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
}

const USER: User = { id: 'u-1', email: 'ada@example.com' };

describe('passwordStep', () => {
  describe('when 2FA is on and the session cannot regenerate', () => {
    it('S23: rejects with a ConfigurationError and starts no pending login, rather than keep the old id', async () => {
      const { web, started } = await setup(true);
      const session: WebSession = { data: { passport: { user: 'u-1' } }, logIn: async () => undefined };
      await expect(web.passwordStep(request(session), USER)).to.be.rejectedWith(ConfigurationError, /regenerate/);
      expect(started).to.deep.equal([]);
    });
  });

  describe('when 2FA is on and the session can regenerate', () => {
    it('S20, S23: forgets the earlier sign-in, regenerates, then starts the pending login on the new session', async () => {
      const { web, started } = await setup(true);
      const calls: string[] = [];
      const fresh = { generation: 2 };
      const session: WebSession = {
        data: { passport: { user: 'u-1' } },
        logIn: async () => {
          calls.push('logIn');
        },
        forgetUser: () => {
          calls.push('forgetUser');
        },
        regenerate: async () => {
          calls.push('regenerate');
          return fresh;
        },
      };
      const outcome = await web.passwordStep(request(session), USER);
      expect(outcome.status).to.equal('two-factor-required');
      expect(calls).to.deep.equal(['forgetUser', 'regenerate']);
      expect(started).to.deep.equal([fresh]);
    });
  });

  describe('when 2FA is off', () => {
    it('S24: signs the user in through the session and starts no pending login', async () => {
      const { web, started } = await setup(false);
      let loggedIn: unknown;
      const session: WebSession = {
        data: {},
        logIn: async (user) => {
          loggedIn = user;
        },
        forgetUser: () => undefined,
        regenerate: async () => ({}),
      };
      const outcome = await web.passwordStep(request(session), USER);
      expect(outcome.status).to.equal('authenticated');
      expect(loggedIn).to.equal(USER);
      expect(started).to.deep.equal([]);
    });
  });
});
