/**
 * `checkPasswordThrottled` (S32): the order of the throttle's steps around a host's password check,
 * and the refusals it gives, over core's `PasswordThrottle` and its in-memory store.
 */
import * as chai from 'chai';
import { MemoryPasswordThrottleStore, PasswordThrottle } from '@secondfactor/core';
import { checkPasswordThrottled } from '../src';

const { expect } = chai;

const ADA = { id: 'u-1', email: 'ada@example.com', password: 'correct horse' };

function setup(policy: { addressLimit?: number } = {}) {
  let nowMs = Date.parse('2030-01-01T00:00:00Z');
  const throttle = new PasswordThrottle(new MemoryPasswordThrottleStore(), {
    policy,
    clock: () => new Date(nowMs),
  });
  let checks = 0;
  const attempt = (email: string, password: string, ip = '203.0.113.7') =>
    checkPasswordThrottled(throttle, { email, ip }, async () => {
      checks++;
      return email === ADA.email && password === ADA.password ? ADA : null;
    });
  return {
    attempt,
    checks: () => checks,
    advance: (seconds: number) => (nowMs += seconds * 1000),
    throttle,
  };
}

describe('checkPasswordThrottled', () => {
  describe('when the password is right', () => {
    it('S32: gives the checked user', async () => {
      const { attempt } = setup();
      expect(await attempt(ADA.email, ADA.password)).to.deep.equal({ ok: true, user: ADA });
    });
  });

  describe('when wrong passwords come in a row', () => {
    it('S32: five are 401 INVALID_CREDENTIALS, then 429 TOO_MANY_ATTEMPTS refuses the right one without checking it', async () => {
      const { attempt, checks, advance } = setup();
      for (let n = 1; n <= 5; n++)
        expect(await attempt(ADA.email, `wrong ${n}`)).to.deep.equal({
          ok: false,
          status: 401,
          code: 'INVALID_CREDENTIALS',
          reason: 'wrong_password',
        });
      expect(await attempt(ADA.email, ADA.password)).to.deep.equal({
        ok: false,
        status: 429,
        code: 'TOO_MANY_ATTEMPTS',
        retryAfterSeconds: 60,
        headers: { 'Retry-After': '60' },
        limit: 'account',
      });
      expect(checks()).to.equal(5);
      advance(60);
      expect((await attempt(ADA.email, ADA.password)).ok).to.equal(true);
    });

    it('S32: an unknown email is counted and refused exactly like a known one', async () => {
      const { attempt } = setup();
      for (let n = 1; n <= 7; n++)
        expect(await attempt('nobody@example.com', `wrong ${n}`), `attempt ${n}`).to.deep.equal(
          await attempt(ADA.email, `wrong ${n}`),
        );
    });
  });

  describe('when a correct password races wrong ones', () => {
    it('S32: the success is void (401 burst_voided) once a failure was recorded since its claim', async () => {
      const { throttle } = setup();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const right = checkPasswordThrottled(throttle, { email: ADA.email, ip: '203.0.113.7' }, async () => {
        await held;
        return ADA;
      });
      const wrong = await checkPasswordThrottled(throttle, { email: ADA.email, ip: '203.0.113.8' }, async () => null);
      release();
      expect(wrong).to.include({ status: 401, reason: 'wrong_password' });
      expect(await right).to.deep.equal({
        ok: false,
        status: 401,
        code: 'INVALID_CREDENTIALS',
        reason: 'burst_voided',
      });
    });
  });

  describe('when one address tries many accounts', () => {
    it('S32: past the address limit it is 429 for every email, and the password is not checked', async () => {
      const { attempt, checks } = setup({ addressLimit: 3 });
      for (let n = 1; n <= 3; n++) await attempt(`user${n}@example.com`, 'guess');
      const refused = await attempt(ADA.email, ADA.password);
      expect(refused).to.deep.include({ status: 429, code: 'TOO_MANY_ATTEMPTS', limit: 'address' });
      expect(checks()).to.equal(3);
      expect((await attempt(ADA.email, ADA.password, '198.51.100.1')).ok).to.equal(true);
    });
  });
});
