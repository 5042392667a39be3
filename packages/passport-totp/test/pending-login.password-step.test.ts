/**
 * The password step written once in @secondfactor/web (the adapters' `beginSecondFactor`), over
 * this package's strategy: integer user ids end to end, the password fingerprint (S22), and the
 * setup mistakes it refuses.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import {
  base32Decode,
  ConfigurationError,
  generateTotp,
  Keyring,
  MemoryTwoFactorStore,
  TwoFactorService,
} from '@secondfactor/core';
import { createTwoFactorWeb, type WebRequest } from '@secondfactor/web';
import { getPendingSecondFactor, TotpStrategy } from '../src';

chai.use(chaiAsPromised);
const { expect } = chai;

interface User {
  id: number;
  email: string;
  passwordHash: string;
}

// Inside a 30 s step, so "now" never sits on a boundary.
const NOW = Date.UTC(2030, 0, 1, 0, 0, 10);

function setup(options: { fingerprint?: (user: User) => string | undefined } = {}) {
  let nowMs = NOW;
  const clock = () => new Date(nowMs);
  const users = new Map<number, User>([[42, { id: 42, email: 'ada@example.com', passwordHash: 'hash-1' }]]);
  const seen: unknown[] = [];
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 4).toString('base64')}`),
    issuer: 'Acme Billing',
    userIds: 'integer',
    clock,
    verifyPassword: () => false,
  });
  const fingerprint = options.fingerprint ?? ((user: User) => user.passwordHash);
  const strategy = new TotpStrategy({
    service,
    loadUser: (userId) => {
      seen.push({ loadUser: userId });
      return users.get(userId) ?? null;
    },
    passwordFingerprint: (userId, user) => {
      seen.push({ passwordFingerprint: userId });
      return fingerprint(user);
    },
  });
  const web = createTwoFactorWeb<User, unknown>({
    service,
    strategy,
    getUser: () => undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
    successRedirect: '/account',
  });
  const state = { session: { cookie: {} } as Record<string, unknown>, regenerated: 0, loggedIn: [] as unknown[] };
  const request = (regenerate = true): WebRequest<unknown> => ({
    method: 'POST',
    path: '/login',
    params: {},
    query: {},
    readBody: async () => ({}),
    accept: 'application/json',
    contentType: 'application/json',
    csrfToken: 'token',
    session: {
      data: state.session,
      logIn: async (user) => void state.loggedIn.push(user),
      regenerate: regenerate
        ? async () => {
            state.regenerated += 1;
            state.session = { ...state.session };
            return state.session;
          }
        : undefined,
      forgetUser: () => delete state.session.passport,
    },
    meta: {},
    native: {},
  });
  const enroll = async () => {
    const start = await service.beginEnrollment({ userId: '42', accountName: 'ada@example.com' });
    if (!start.ok) throw start.error;
    const secret = base32Decode(start.secret)!;
    const confirmed = await service.confirmEnrollment({ userId: '42', code: generateTotp({ secret, timeMs: nowMs }) });
    if (!confirmed.ok) throw confirmed.error;
    nowMs += 30_000;
    return () => generateTotp({ secret, timeMs: nowMs });
  };
  return { web, strategy, users, seen, state, request, enroll, clock };
}

describe('the password step over TotpStrategy', () => {
  describe('when the app has integer user ids and the user has 2FA on', () => {
    it('S20, S22: pends the login on a new session with the fingerprint, and the hooks get the number', async () => {
      const { web, strategy, users, seen, state, request, enroll, clock } = setup();
      const code = await enroll();
      state.session.passport = { user: 7 };
      const outcome = await web.passwordStep(request(), users.get(42));
      expect(outcome).to.deep.equal({ status: 'two-factor-required', redirectTo: '/login/two-factor' });
      expect(state.regenerated).to.equal(1);
      expect(state.session.passport, 'the earlier sign-in is gone').to.equal(undefined);
      const pending = getPendingSecondFactor(state.session, clock());
      expect(pending).to.include({ userId: '42' });
      expect(pending!.fingerprint).to.be.a('string');
      expect(state.loggedIn).to.deep.equal([]);

      const result = await strategy.verify({ session: state.session, body: { code: code() } });
      expect(result.ok).to.equal(true);
      expect(result.ok && result.user).to.deep.equal(users.get(42));
      expect(seen).to.deep.equal([{ passwordFingerprint: 42 }, { loadUser: 42 }, { passwordFingerprint: 42 }]);
    });

    it('S22: fails the second step when the password changed after the password step', async () => {
      const { web, strategy, users, state, request, enroll } = setup();
      const code = await enroll();
      await web.passwordStep(request(), users.get(42));
      users.get(42)!.passwordHash = 'hash-2';
      const result = await strategy.verify({ session: state.session, body: { code: code() } });
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
    });
  });

  describe('when the user has 2FA off', () => {
    it('signs the user in and leaves no pending login', async () => {
      const { web, users, state, request } = setup();
      state.session.secondFactor = { userId: '42', expiresAt: NOW + 60_000 };
      const outcome = await web.passwordStep(request(), users.get(42));
      expect(outcome).to.deep.equal({ status: 'authenticated', redirectTo: '/account' });
      expect(state.loggedIn).to.deep.equal([users.get(42)]);
      expect(state.session).to.not.have.property('secondFactor');
    });
  });

  describe('when the setup is wrong', () => {
    it('S23: refuses a session that cannot regenerate with a ConfigurationError, before any state', async () => {
      const { web, users, state, request } = setup();
      await expect(web.passwordStep(request(false), users.get(42))).to.be.rejectedWith(
        ConfigurationError,
        /regenerate/,
      );
      expect(state.loggedIn).to.deep.equal([]);
      expect(state.session).to.not.have.property('secondFactor');
    });

    it('S22: refuses a fingerprint hook that answers no string', async () => {
      const { web, users, request, enroll } = setup({ fingerprint: () => undefined });
      await enroll();
      await expect(web.passwordStep(request(), users.get(42))).to.be.rejectedWith(
        ConfigurationError,
        /passwordFingerprint/,
      );
    });
  });
});
