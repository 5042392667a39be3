import 'reflect-metadata';
import * as chai from 'chai';
import { DataSource } from 'typeorm';
import { siteEntities, siteMigrations } from '../src/db/schema';
import { accountKey, backoffSeconds, DEFAULT_LOGIN_THROTTLE, LoginThrottle } from '../src/services/login-throttle';

const { expect } = chai;

const DAY_MS = 86_400_000;

describe('LoginThrottle', () => {
  let dataSource: DataSource;
  let nowMs: number;
  let throttle: LoginThrottle;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: siteEntities,
      migrations: siteMigrations,
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    nowMs = Date.UTC(2031, 0, 1, 9);
    throttle = new LoginThrottle(dataSource, DEFAULT_LOGIN_THROTTLE, () => new Date(nowMs));
  });
  afterEach(() => dataSource.destroy());

  describe('when the backoff is computed', () => {
    it('S32: five free failures, then 1, 2, 4 … minutes up to one hour, never a lock', () => {
      expect([4, 5, 6, 7, 10, 11, 50, 10_000].map((n) => backoffSeconds(n))).to.deep.equal([
        0, 60, 120, 240, 1920, 3600, 3600, 3600,
      ]);
    });
  });

  describe('when an attacker guesses one account as fast as allowed for 24 hours', () => {
    it('S32: gets exactly 33 wrong passwords under the defaults', async () => {
      const start = nowMs;
      let guesses = 0;
      while (nowMs < start + DAY_MS) {
        const claim = await throttle.claimAccount('victim@example.com');
        if (!claim.ok) {
          nowMs += claim.retryAfterSeconds * 1000;
          continue;
        }
        guesses++;
        await throttle.failed(claim);
      }
      expect(guesses).to.equal(33);
    });
  });

  describe('when a failure is recorded between a check and its success', () => {
    it('S32: the success is void, so a parallel burst is worth no more than sequential tries', async () => {
      const right = await throttle.claimAccount('ada@example.com');
      const wrong = await throttle.claimAccount('ada@example.com');
      if (!right.ok || !wrong.ok) throw new Error('both claims should go ahead');
      await throttle.failed(wrong);
      expect(await throttle.succeeded(right)).to.equal(false);
    });

    it('S32: parallel correct sign-ins with no failure between all succeed', async () => {
      const claims = await Promise.all([1, 2, 3].map(() => throttle.claimAccount('ada@example.com')));
      for (const claim of claims) if (claim.ok) expect(await throttle.succeeded(claim)).to.equal(true);
    });
  });

  describe('when addresses are limited', () => {
    it('S32: 100 attempts per 10 minutes, then 429 until the window ends; 0 turns it off', async () => {
      for (let attempt = 0; attempt < 100; attempt++)
        expect((await throttle.claimAddress('203.0.113.7')).ok).to.equal(true);
      expect(await throttle.claimAddress('203.0.113.7')).to.deep.equal({ ok: false, retryAfterSeconds: 600 });
      expect((await throttle.claimAddress('203.0.113.8')).ok).to.equal(true);
      nowMs += 600_001;
      expect((await throttle.claimAddress('203.0.113.7')).ok).to.equal(true);
      const off = new LoginThrottle(dataSource, { ...DEFAULT_LOGIN_THROTTLE, addressLimit: 0 }, () => new Date(nowMs));
      for (let attempt = 0; attempt < 200; attempt++)
        expect((await off.claimAddress('198.51.100.1')).ok).to.equal(true);
    });
  });

  describe('when an account key is made', () => {
    it('S32: hashes the normalised email, so the table holds no address', () => {
      expect(accountKey(' Ada@Example.com ')).to.equal(accountKey('ada@example.com'));
      expect(accountKey('ada@example.com')).to.match(/^acct:[0-9a-f]{64}$/);
    });
  });
});
