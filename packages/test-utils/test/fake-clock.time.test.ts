import * as chai from 'chai';
import { DEFAULT_FAKE_CLOCK_START, FakeClock } from '../src';

const { expect } = chai;

describe('FakeClock', function () {
  describe('when created without a start', function () {
    it('starts at 2030-01-01T00:00:00Z, a 30 s step boundary', function () {
      const clock = new FakeClock();
      expect(clock.now().toISOString()).to.equal('2030-01-01T00:00:00.000Z');
      expect(DEFAULT_FAKE_CLOCK_START.getTime() % 30_000).to.equal(0);
    });
  });

  describe('when advanced', function () {
    it('moves by milliseconds or by named units added together', function () {
      const clock = new FakeClock(0);
      clock.advance(1500);
      expect(clock.nowMs()).to.equal(1500);
      clock.advance({ seconds: 30, minutes: 1, hours: 1, days: 1, ms: 5 });
      expect(clock.nowMs()).to.equal(1500 + 5 + 30_000 + 60_000 + 3_600_000 + 86_400_000);
    });

    it('refuses a non-finite amount', function () {
      expect(() => new FakeClock().advance(Number.NaN)).to.throw(TypeError);
    });
  });

  describe('when set', function () {
    it('jumps to a Date, milliseconds or an ISO string', function () {
      const clock = new FakeClock();
      clock.set(new Date('2031-02-03T04:05:06Z'));
      expect(clock.now().toISOString()).to.equal('2031-02-03T04:05:06.000Z');
      clock.set(59_000);
      expect(clock.nowMs()).to.equal(59_000);
      clock.set('1970-01-01T00:00:30Z');
      expect(clock.nowMs()).to.equal(30_000);
      expect(() => clock.set('not a date')).to.throw(TypeError);
    });
  });

  describe('when its dates are mutated by a caller', function () {
    it('does not move', function () {
      const clock = new FakeClock(1000);
      clock.now().setTime(0);
      expect(clock.clock().getTime()).to.equal(1000);
    });
  });
});
