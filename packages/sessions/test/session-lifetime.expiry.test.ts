/** sessionExpired: the S33 idle timeout and absolute lifetime as a pure check. */
import * as chai from 'chai';
import { sessionExpired } from '../src';

const { expect } = chai;

const created = new Date('2030-01-01T08:00:00.000Z');
const at = (iso: string) => new Date(iso);

describe('sessionExpired', function () {
  describe('when only an idle timeout is set', function () {
    it('S33: ends the session idleMinutes after it was last seen, not a millisecond before', function () {
      const session = { createdAt: created, lastSeenAt: at('2030-01-01T09:00:00.000Z') };
      expect(sessionExpired(session, { idleMinutes: 30, now: at('2030-01-01T09:29:59.999Z') })).to.equal(false);
      expect(sessionExpired(session, { idleMinutes: 30, now: at('2030-01-01T09:30:00.000Z') })).to.equal('idle');
    });
  });

  describe('when only an absolute lifetime is set', function () {
    it('S33: ends the session maxHours after it was created, however recently seen', function () {
      const session = { createdAt: created, lastSeenAt: at('2030-01-01T19:59:59.000Z') };
      expect(sessionExpired(session, { maxHours: 12, now: at('2030-01-01T19:59:59.999Z') })).to.equal(false);
      expect(sessionExpired(session, { maxHours: 12, now: at('2030-01-01T20:00:00.000Z') })).to.equal('absolute');
    });
  });

  describe('when both apply', function () {
    it('reports the absolute lifetime', function () {
      const session = { createdAt: created, lastSeenAt: created };
      expect(sessionExpired(session, { idleMinutes: 30, maxHours: 12, now: at('2030-01-02T08:00:00Z') })).to.equal(
        'absolute',
      );
    });
  });

  describe('when no limit is set', function () {
    it('never ends a session (0 and missing both mean no limit)', function () {
      const session = { createdAt: created, lastSeenAt: created };
      expect(sessionExpired(session, { now: at('2040-01-01T00:00:00Z') })).to.equal(false);
      expect(sessionExpired(session, { idleMinutes: 0, maxHours: 0, now: at('2040-01-01T00:00:00Z') })).to.equal(false);
    });
  });

  describe('when a limit is not a positive number', function () {
    it('throws a RangeError naming the option', function () {
      const session = { createdAt: created, lastSeenAt: created };
      expect(() => sessionExpired(session, { idleMinutes: -5, now: created })).to.throw(RangeError, /idleMinutes/);
      expect(() => sessionExpired(session, { maxHours: Number.NaN, now: created })).to.throw(RangeError, /maxHours/);
    });
  });
});
