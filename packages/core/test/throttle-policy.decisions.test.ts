import * as chai from 'chai';
import { ConfigurationError, DEFAULT_THROTTLE_POLICY, MAX_FAILURES_CEILING, ThrottlePolicy } from '../src';

const { expect } = chai;
const NOW = new Date('2030-01-01T00:00:00Z');

function backoffSeconds(policy: ThrottlePolicy, count: number): number | null {
  const decision = policy.decide(count, NOW);
  return decision.backoffUntil === null ? null : (decision.backoffUntil.getTime() - NOW.getTime()) / 1000;
}

describe('ThrottlePolicy', function () {
  describe('when built with the defaults', function () {
    const policy = new ThrottlePolicy();

    it('S16: documents 3 free attempts, 2 s doubling to at most 900 s, and a lock at 10', function () {
      expect(DEFAULT_THROTTLE_POLICY).to.deep.equal({
        freeAttempts: 3,
        baseDelaySeconds: 2,
        maxDelaySeconds: 900,
        maxFailures: 10,
      });
      expect(policy.options).to.deep.equal(DEFAULT_THROTTLE_POLICY);
    });

    it('S16: lets the first 3 failures through, then backs off 2, 4, 8 … 64 s', function () {
      expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffSeconds(policy, n))).to.deep.equal([
        null,
        null,
        null,
        2,
        4,
        8,
        16,
        32,
        64,
      ]);
      for (let n = 1; n < 10; n++) expect(policy.decide(n, NOW).lock, `count ${n}`).to.equal(false);
    });

    it('S16: locks at the 10th consecutive failure and after', function () {
      for (const n of [10, 11, 500]) expect(policy.decide(n, NOW)).to.deep.equal({ backoffUntil: null, lock: true });
    });

    it('measures the backoff from the given time, not a hidden clock', function () {
      const later = new Date('2040-06-01T12:00:00Z');
      expect(policy.decide(4, later).backoffUntil?.toISOString()).to.equal('2040-06-01T12:00:02.000Z');
    });
  });

  describe('when the backoff would grow past maxDelaySeconds', function () {
    it('S16: caps it', function () {
      const policy = new ThrottlePolicy({
        maxFailures: 100,
        freeAttempts: 0,
        baseDelaySeconds: 1,
        maxDelaySeconds: 60,
      });
      expect([1, 2, 6, 7, 50, 99].map((n) => backoffSeconds(policy, n))).to.deep.equal([1, 2, 32, 60, 60, 60]);
      expect(policy.decide(100, NOW).lock).to.equal(true);
    });
  });

  describe('when configured outside its bounds', function () {
    for (const [label, options] of [
      [`maxFailures above ${MAX_FAILURES_CEILING}`, { maxFailures: MAX_FAILURES_CEILING + 1 }],
      ['maxFailures 0', { maxFailures: 0 }],
      ['maxFailures 2.5', { maxFailures: 2.5 }],
      ['negative freeAttempts', { freeAttempts: -1 }],
      ['freeAttempts above maxFailures', { freeAttempts: 11 }],
      ['baseDelaySeconds 0', { baseDelaySeconds: 0 }],
      ['maxDelaySeconds below baseDelaySeconds', { baseDelaySeconds: 10, maxDelaySeconds: 5 }],
    ] as const) {
      it(`S16: refuses ${label} at setup`, function () {
        expect(() => new ThrottlePolicy(options)).to.throw(ConfigurationError);
      });
    }

    it(`S16: accepts maxFailures of exactly ${MAX_FAILURES_CEILING}`, function () {
      expect(new ThrottlePolicy({ maxFailures: MAX_FAILURES_CEILING }).options.maxFailures).to.equal(
        MAX_FAILURES_CEILING,
      );
    });
  });
});
