/** The pending-second-factor helpers the password step and the strategy share. */
import * as chai from 'chai';
import { ConfigurationError } from '@secondfactor/core';
import {
  clearPendingSecondFactor,
  DEFAULT_PENDING_LOGIN_TTL_SECONDS,
  getPendingSecondFactor,
  hasPendingSecondFactor,
  PENDING_SECOND_FACTOR_KEY,
  setPendingSecondFactor,
  type SetPendingSecondFactorInput,
} from '../src';

const { expect } = chai;

const NOW = new Date(Date.UTC(2030, 0, 1));
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('setPendingSecondFactor', () => {
  describe('when given a user id', () => {
    it('S20: stores the user and an expiry 10 minutes out under session.secondFactor', () => {
      const session: Record<string, unknown> = { cookie: {} };
      const pending = setPendingSecondFactor(session, { userId: '42', now: NOW });
      expect(DEFAULT_PENDING_LOGIN_TTL_SECONDS).to.equal(600);
      expect(pending).to.deep.equal({ userId: '42', expiresAt: NOW.getTime() + 600_000 });
      expect(session[PENDING_SECOND_FACTOR_KEY]).to.deep.equal(pending);
      expect(session).to.have.property('cookie');
    });

    it('honours ttlSeconds', () => {
      const session = {};
      expect(setPendingSecondFactor(session, { userId: '42', ttlSeconds: 120, now: NOW }).expiresAt).to.equal(
        NOW.getTime() + 120_000,
      );
    });

    it('S22: stores a digest of the fingerprint, never the fingerprint itself', () => {
      const session = {};
      const pending = setPendingSecondFactor(session, {
        userId: '42',
        fingerprint: '$2b$12$secret-password-hash',
        now: NOW,
      });
      expect(pending.fingerprint)
        .to.be.a('string')
        .and.match(/^[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(session)).to.not.include('secret-password-hash');
    });

    it('keeps an integer user id as its decimal string', () => {
      const session = {};
      expect(setPendingSecondFactor(session, { userId: 42, now: NOW }).userId).to.equal('42');
      expect(getPendingSecondFactor(session, NOW)).to.include({ userId: '42' });
    });

    it('replaces an earlier pending state', () => {
      const session = {};
      setPendingSecondFactor(session, { userId: 'a', now: NOW });
      setPendingSecondFactor(session, { userId: 'b', now: NOW });
      expect(getPendingSecondFactor(session, NOW)).to.include({ userId: 'b' });
    });
  });

  describe('when called wrongly', () => {
    const cases: Array<[string, unknown, unknown]> = [
      ['no session', undefined, { userId: '42' }],
      ['a fractional user id', {}, { userId: 4.2 }],
      ['an unsafe integer user id', {}, { userId: 2 ** 53 }],
      ['an empty user id', {}, { userId: '' }],
      ['an oversized user id', {}, { userId: 'x'.repeat(256) }],
      ['a zero ttl', {}, { userId: '42', ttlSeconds: 0 }],
      ['a fractional ttl', {}, { userId: '42', ttlSeconds: 1.5 }],
      ['a ttl above one day', {}, { userId: '42', ttlSeconds: 86_401 }],
      ['a non-string fingerprint', {}, { userId: '42', fingerprint: 7 }],
    ];
    for (const [label, session, input] of cases) {
      it(`throws a ConfigurationError for ${label}`, () => {
        expect(() => setPendingSecondFactor(session as object, input as SetPendingSecondFactorInput)).to.throw(
          ConfigurationError,
        );
      });
    }
  });
});

describe('getPendingSecondFactor', () => {
  describe('when the state is live', () => {
    it('returns it until the last millisecond, then null', () => {
      const session = {};
      setPendingSecondFactor(session, { userId: '42', now: NOW });
      expect(getPendingSecondFactor(session, at(599.999))).to.deep.equal({
        userId: '42',
        expiresAt: at(600).getTime(),
      });
      expect(getPendingSecondFactor(session, at(600))).to.equal(null);
    });
  });

  describe('when the session holds something else', () => {
    const shapes: Array<[string, unknown]> = [
      ['nothing', undefined],
      ['a string', 'u-1'],
      ['an array', ['u-1']],
      ['a numeric user id', { userId: 1, expiresAt: at(60).getTime() }],
      ['a string expiry', { userId: 'u-1', expiresAt: String(at(60).getTime()) }],
      ['an infinite expiry', { userId: 'u-1', expiresAt: Infinity }],
      ['a non-string fingerprint', { userId: 'u-1', expiresAt: at(60).getTime(), fingerprint: {} }],
    ];
    for (const [label, value] of shapes) {
      it(`S21: returns null for ${label}`, () => {
        expect(getPendingSecondFactor({ [PENDING_SECOND_FACTOR_KEY]: value }, NOW)).to.equal(null);
      });
    }

    it('returns null without a session', () => {
      expect(getPendingSecondFactor(undefined, NOW)).to.equal(null);
      expect(getPendingSecondFactor(null, NOW)).to.equal(null);
    });
  });
});

describe('hasPendingSecondFactor', () => {
  describe('when a state is present', () => {
    it('S20: is true even once it expired, so a guard never lets a half-finished login through', () => {
      const session = {};
      setPendingSecondFactor(session, { userId: '42', now: NOW });
      expect(hasPendingSecondFactor(session)).to.equal(true);
      expect(getPendingSecondFactor(session, at(3600))).to.equal(null);
      expect(hasPendingSecondFactor(session)).to.equal(true);
    });
  });

  describe('when no state is present', () => {
    it('is false', () => {
      expect(hasPendingSecondFactor({})).to.equal(false);
      expect(hasPendingSecondFactor(undefined)).to.equal(false);
    });
  });
});

describe('clearPendingSecondFactor', () => {
  describe('when a state is present', () => {
    it('removes only the pending state', () => {
      const session: Record<string, unknown> = { passport: { user: '7' } };
      setPendingSecondFactor(session, { userId: '42', now: NOW });
      clearPendingSecondFactor(session);
      expect(session).to.deep.equal({ passport: { user: '7' } });
      expect(hasPendingSecondFactor(session)).to.equal(false);
    });
  });

  describe('when there is no session', () => {
    it('does nothing', () => {
      expect(() => clearPendingSecondFactor(undefined)).to.not.throw();
    });
  });
});
