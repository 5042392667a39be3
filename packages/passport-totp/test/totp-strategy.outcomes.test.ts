/** Each outcome of the strategy, through a real Passport instance, without an HTTP framework. */
import * as chai from 'chai';
import { ConfigurationError, DecryptionError, Keyring, TwoFactorService } from '@secondfactor/core';
import {
  getPendingSecondFactor,
  PENDING_SECOND_FACTOR_KEY,
  setPendingSecondFactor,
  TotpStrategy,
  type TotpStrategyOptions,
} from '../src';
import { createFixture, type Fixture } from './support/fixture';
import { runStrategy } from './support/run-strategy';

const { expect } = chai;

describe('TotpStrategy', () => {
  let fixture: Fixture;
  let backupCodes: string[];

  const strategy = (options: Partial<TotpStrategyOptions> = {}) =>
    new TotpStrategy({ service: fixture.service, clock: fixture.clock, ...options });
  const pendingSession = (userId = 'u-alice', fingerprint?: string): Record<string, unknown> => {
    const session: Record<string, unknown> = {};
    setPendingSecondFactor(session, { userId, fingerprint, now: fixture.clock() });
    return session;
  };

  beforeEach(async () => {
    fixture = createFixture();
    ({ backupCodes } = await fixture.enroll('u-alice'));
  });

  describe('when constructed', () => {
    it("is named 'totp' by default and takes another name", () => {
      expect(strategy().name).to.equal('totp');
      expect(strategy({ name: 'second-factor' }).name).to.equal('second-factor');
    });

    const bad: Array<[string, (service: TwoFactorService) => unknown]> = [
      ['no options', () => undefined],
      ['no service', () => ({})],
      ['a service without authenticate', () => ({ service: {} })],
      ['an empty codeField', (service) => ({ service, codeField: '' })],
      ['a prototype key as a field', (service) => ({ service, codeField: '__proto__' })],
      ['the same field twice', (service) => ({ service, codeField: 'otp', backupCodeField: 'otp' })],
      ['a loadUser that is not a function', (service) => ({ service, loadUser: 'users' })],
      ['a clock that is not a function', (service) => ({ service, clock: Date.now() })],
    ];
    for (const [label, options] of bad) {
      it(`fails fast at setup with ${label}`, () => {
        expect(() => new TotpStrategy(options(fixture.service) as TotpStrategyOptions)).to.throw(ConfigurationError);
      });
    }
  });

  describe('when the second step succeeds', () => {
    it('calls success with the loaded user and { method, message }, and clears the pending state', async () => {
      const session = pendingSession();
      const seen: unknown[] = [];
      const run = await runStrategy(
        strategy({ loadUser: (userId, req) => (seen.push(req.body), { id: userId, plan: 'pro' }) }),
        { session, body: { code: fixture.codeFor('u-alice') } },
      );
      expect(run.err).to.equal(null);
      expect(run.user).to.deep.equal({ id: 'u-alice', plan: 'pro' });
      expect(run.info).to.deep.equal({ method: 'totp', message: 'Signed in.' });
      expect(seen).to.deep.equal([{ code: fixture.codeFor('u-alice') }]);
      expect(session).to.not.have.property(PENDING_SECOND_FACTOR_KEY);
    });

    it('signs in { id } when there is no loadUser', async () => {
      const run = await runStrategy(strategy(), {
        session: pendingSession(),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(run.user).to.deep.equal({ id: 'u-alice' });
    });

    it('reads renamed fields and nothing else', async () => {
      const renamed = strategy({ codeField: 'otp', backupCodeField: 'recovery' });
      const ignored = await runStrategy(renamed, {
        session: pendingSession(),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(ignored.status).to.equal(400);
      const run = await runStrategy(renamed, { session: pendingSession(), body: { recovery: backupCodes[0] } });
      expect(run.user).to.deep.equal({ id: 'u-alice' });
      expect(run.info).to.include({ method: 'backup_code', backupCodesRemaining: 1 });
      expect((run.info as { backupCodes: string[] }).backupCodes).to.have.length(1);
    });

    it('passes the client address and user agent to events, never the code', async () => {
      const code = fixture.codeFor('u-alice');
      await runStrategy(strategy(), {
        session: pendingSession(),
        body: { code },
        ip: '203.0.113.7',
        headers: { 'user-agent': 'Tests/1.0' },
      });
      const verified = fixture.events.find((event) => event.type === 'code.verified');
      expect(verified).to.include({ userId: 'u-alice', ip: '203.0.113.7', userAgent: 'Tests/1.0' });
      expect(JSON.stringify(fixture.events)).to.not.include(code);
    });
  });

  describe('when the code is wrong', () => {
    it('fails with 401 and { code, message, status }, and keeps the pending state', async () => {
      const session = pendingSession();
      const run = await runStrategy(strategy(), { session, body: { code: fixture.wrongCodeFor('u-alice') } });
      expect(run.user).to.equal(false);
      expect(run.status).to.equal(401);
      expect(run.info).to.deep.equal({
        code: 'TWO_FACTOR_INVALID_CODE',
        message: 'The code is not valid.',
        status: 401,
      });
      expect(getPendingSecondFactor(session, fixture.clock())).to.include({ userId: 'u-alice' });
    });

    it('S13: ignores a code the body only inherits', async () => {
      const body = Object.create({ code: fixture.codeFor('u-alice') }) as object;
      const run = await runStrategy(strategy(), { session: pendingSession(), body });
      expect(run.status).to.equal(400);
      expect(run.info).to.include({ code: 'TWO_FACTOR_INVALID_INPUT' });
    });
  });

  describe('when the account is throttled', () => {
    it('S16: fails with 429, info.retryAfterSeconds and a Retry-After header', async () => {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await runStrategy(strategy(), { session: pendingSession(), body: { code: fixture.wrongCodeFor('u-alice') } });
      }
      const run = await runStrategy(strategy(), {
        session: pendingSession(),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(run.status).to.equal(429);
      expect(run.info).to.deep.equal({
        code: 'TWO_FACTOR_THROTTLED',
        message: 'Too many attempts. Try again later.',
        status: 429,
        retryAfterSeconds: 2,
      });
      expect(run.headers).to.deep.equal({ 'Retry-After': '2' });
    });
  });

  describe('when the account is locked', () => {
    it('S16: fails with 423 TWO_FACTOR_LOCKED, even for a correct code', async () => {
      const service = new TwoFactorService({
        ...fixture.serviceOptions,
        throttle: { maxFailures: 2, freeAttempts: 2 },
      });
      const locking = strategy({ service });
      await runStrategy(locking, { session: pendingSession(), body: { code: fixture.wrongCodeFor('u-alice') } });
      const second = await runStrategy(locking, {
        session: pendingSession(),
        body: { code: fixture.wrongCodeFor('u-alice') },
      });
      expect(second.status).to.equal(423);
      const run = await runStrategy(locking, { session: pendingSession(), body: { code: fixture.codeFor('u-alice') } });
      expect(run.status).to.equal(423);
      expect(run.info).to.include({ code: 'TWO_FACTOR_LOCKED', status: 423 });
    });
  });

  describe('when 2FA was turned off after the password step', () => {
    it('fails with 409 TWO_FACTOR_NOT_ENABLED and clears the pending state', async () => {
      const session = pendingSession();
      await fixture.service.adminDisable({ userId: 'u-alice', actorId: 'support-1' });
      const run = await runStrategy(strategy(), { session, body: { code: fixture.codeFor('u-alice') } });
      expect(run.status).to.equal(409);
      expect(run.info).to.include({ code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(session).to.not.have.property(PENDING_SECOND_FACTOR_KEY);
    });
  });

  describe('when there is no usable pending state', () => {
    it('S20: fails with 401 TWO_FACTOR_NO_PENDING_LOGIN for an empty session', async () => {
      const run = await runStrategy(strategy(), { session: {}, body: { code: fixture.codeFor('u-alice') } });
      expect(run.status).to.equal(401);
      expect(run.info).to.deep.equal({
        code: 'TWO_FACTOR_NO_PENDING_LOGIN',
        message: 'Your sign-in has expired. Sign in again with your password.',
        status: 401,
      });
    });

    it('S21: a tampered pending state (user id not a string) is never trusted, and is cleared', async () => {
      const session: Record<string, unknown> = {
        [PENDING_SECOND_FACTOR_KEY]: { userId: ['u-alice'], expiresAt: fixture.now + 60_000 },
      };
      const run = await runStrategy(strategy(), { session, body: { code: fixture.codeFor('u-alice') } });
      expect(run.status).to.equal(401);
      expect(session).to.not.have.property(PENDING_SECOND_FACTOR_KEY);
    });

    it('S21: when loadUser finds no user it fails with 401, clears the state and burns no code', async () => {
      const session = pendingSession();
      const code = fixture.codeFor('u-alice');
      const run = await runStrategy(strategy({ loadUser: async () => null }), { session, body: { code } });
      expect(run.status).to.equal(401);
      expect(run.info).to.include({ code: 'TWO_FACTOR_NO_PENDING_LOGIN' });
      expect(session).to.not.have.property(PENDING_SECOND_FACTOR_KEY);
      expect((await fixture.service.verifyCode({ userId: 'u-alice', code })).ok).to.equal(true);
    });

    it('S22: with a fingerprint hook, a pending state without a fingerprint fails and is cleared', async () => {
      const session = pendingSession('u-alice');
      const run = await runStrategy(strategy({ passwordFingerprint: () => 'hash-1' }), {
        session,
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(run.status).to.equal(401);
      expect(session).to.not.have.property(PENDING_SECOND_FACTOR_KEY);
    });

    it('S22: a matching fingerprint passes', async () => {
      const run = await runStrategy(strategy({ passwordFingerprint: async () => 'hash-1' }), {
        session: pendingSession('u-alice', 'hash-1'),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(run.user).to.deep.equal({ id: 'u-alice' });
    });

    it('S22: the fingerprint hook gets the user loadUser loaded, and decides on its stored hash', async () => {
      const loaded = { id: 'u-alice', passwordHash: 'hash-2' };
      const hook = (_userId: string, user: unknown) => (user as typeof loaded).passwordHash;
      const stale = await runStrategy(strategy({ loadUser: async () => loaded, passwordFingerprint: hook }), {
        session: pendingSession('u-alice', 'hash-1'),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(stale.status).to.equal(401);
      const current = await runStrategy(strategy({ loadUser: async () => loaded, passwordFingerprint: hook }), {
        session: pendingSession('u-alice', 'hash-2'),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(current.user).to.equal(loaded);
    });
  });

  describe('when infrastructure fails', () => {
    it('reports a store outage through error(), with the 503 error', async () => {
      fixture.storeDown = true;
      const run = await runStrategy(strategy(), {
        session: pendingSession(),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(run.err).to.include({ code: 'TWO_FACTOR_UNAVAILABLE', status: 503 });
      expect(run.user).to.equal(undefined);
    });

    it('reports an undecryptable secret through error(), with the 500 error', async () => {
      const wrongKey = new TwoFactorService({
        ...fixture.serviceOptions,
        keyring: Keyring.parse(`k1:${Buffer.alloc(32, 1).toString('base64')}`),
      });
      const run = await runStrategy(strategy({ service: wrongKey }), {
        session: pendingSession(),
        body: { code: fixture.codeFor('u-alice') },
      });
      expect(run.err).to.be.instanceOf(DecryptionError);
    });

    it('reports a throwing loadUser or passwordFingerprint through error()', async () => {
      const failure = new Error('users table unreachable');
      const fromLoad = await runStrategy(strategy({ loadUser: async () => Promise.reject(failure) }), {
        session: pendingSession(),
        body: { code: '123456' },
      });
      expect(fromLoad.err).to.equal(failure);
      const fromFingerprint = await runStrategy(
        strategy({
          passwordFingerprint: () => {
            throw failure;
          },
        }),
        { session: pendingSession(), body: { code: '123456' } },
      );
      expect(fromFingerprint.err).to.equal(failure);
    });

    it('reports a missing session as a configuration error', async () => {
      const run = await runStrategy(strategy(), { body: { code: fixture.codeFor('u-alice') } });
      expect(run.err).to.be.instanceOf(ConfigurationError);
    });
  });

  describe('when two strategies use different services', () => {
    it('keeps them apart: each checks codes against its own service only', async () => {
      const other = createFixture();
      await other.enroll('u-alice');
      const a = strategy({ name: 'totp-a' });
      const b = new TotpStrategy({ service: other.service, clock: other.clock, name: 'totp-b' });
      const codeA = fixture.codeFor('u-alice');
      const codeB = other.codeFor('u-alice');
      expect(codeA).to.not.equal(codeB);

      expect((await runStrategy(b, { session: pendingSession(), body: { code: codeA } })).status).to.equal(401);
      expect((await runStrategy(a, { session: pendingSession(), body: { code: codeB } })).status).to.equal(401);
      expect((await runStrategy(a, { session: pendingSession(), body: { code: codeA } })).user).to.deep.equal({
        id: 'u-alice',
      });
      expect((await runStrategy(b, { session: pendingSession(), body: { code: codeB } })).user).to.deep.equal({
        id: 'u-alice',
      });
    });
  });
});
