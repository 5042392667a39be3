/** The second step as a typed result (`verify`) and the login state of a session (`loginState`). */
import * as chai from 'chai';
import { NoPendingLoginError, setPendingSecondFactor, TotpStrategy } from '../src';
import { createFixture, type Fixture } from './support/fixture';

const { expect } = chai;

describe('TotpStrategy.verify', () => {
  let fixture: Fixture;

  const pendingSession = (): Record<string, unknown> => {
    const session: Record<string, unknown> = {};
    setPendingSecondFactor(session, { userId: 'u-alice', now: fixture.clock() });
    return session;
  };

  beforeEach(async () => {
    fixture = createFixture();
    await fixture.enroll('u-alice');
  });

  describe('when the code is right', () => {
    it('S21: answers the pending user and the method, and clears the pending state', async () => {
      const strategy = new TotpStrategy({ service: fixture.service, loadUser: (id) => fixture.publicUser(id) });
      const session = pendingSession();
      const result = await strategy.verify({ session, body: { code: fixture.codeFor('u-alice') } });
      expect(result).to.deep.equal({ ok: true, user: { id: 'u-alice', username: 'alice' }, method: 'totp' });
      expect(strategy.loginState(session)).to.equal('none');
    });
  });

  describe('when the service refuses', () => {
    it('S16: carries the typed error whole: its code, status and Retry-After header', async () => {
      const strategy = new TotpStrategy({ service: fixture.service });
      const session = pendingSession();
      let result = await strategy.verify({ session, body: { code: fixture.wrongCodeFor('u-alice') } });
      while (result.ok === false && result.error.status === 401)
        result = await strategy.verify({ session, body: { code: fixture.wrongCodeFor('u-alice') } });
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.error.code).to.equal('TWO_FACTOR_THROTTLED');
      expect(result.error.status).to.equal(429);
      expect(Number(result.error.headers['Retry-After'])).to.be.greaterThan(0);
      expect(strategy.loginState(session), 'the login stays pending').to.equal('pending');
    });

    it('S20: answers 401 TWO_FACTOR_NO_PENDING_LOGIN without a pending login', async () => {
      const strategy = new TotpStrategy({ service: fixture.service });
      const result = await strategy.verify({ session: {}, body: { code: fixture.codeFor('u-alice') } });
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
      expect(result.error.status).to.equal(401);
      expect(result.error).to.be.instanceOf(NoPendingLoginError);
      expect(result.error).to.include({ expose: true, statusCode: 401 });
      expect(result.error.headers).to.deep.equal({});
    });
  });
});

describe('TotpStrategy.loginState', () => {
  describe('when no clock is given to the strategy', () => {
    it("S20: reads the service's clock: 'none', then 'pending', then 'expired' after the TTL", () => {
      const fixture = createFixture();
      const strategy = new TotpStrategy({ service: fixture.service });
      const session: Record<string, unknown> = {};
      expect(strategy.loginState(session)).to.equal('none');
      setPendingSecondFactor(session, { userId: 'u-alice', ttlSeconds: 60, now: fixture.clock() });
      expect(strategy.loginState(session)).to.equal('pending');
      fixture.advanceSeconds(61);
      expect(strategy.loginState(session)).to.equal('expired');
    });
  });
});
