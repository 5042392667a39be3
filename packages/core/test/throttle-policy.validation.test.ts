/**
 * Each bound of the throttle options is enforced by its own check: every case below is refused
 * with that check's message, so deleting or loosening one check fails its cases even where a
 * later check would also have thrown.
 */
import * as chai from 'chai';
import { ConfigurationError, MAX_FAILURES_CEILING, ThrottlePolicy, type ThrottlePolicyOptions } from '../src';
import { makeService } from './support/service-fixture';

const { expect } = chai;
const NOW = new Date('2030-01-01T00:00:00Z');

const MAX_FAILURES_MESSAGE = /^throttle\.maxFailures must be an integer from 1 to 100\.$/;
const FREE_ATTEMPTS_MESSAGE = /^throttle\.freeAttempts must be an integer from 0 to maxFailures\.$/;
const DELAYS_MESSAGE = /^throttle delays must be positive, with maxDelaySeconds >= baseDelaySeconds\.$/;

function refusal(options: Partial<ThrottlePolicyOptions>): string {
  try {
    new ThrottlePolicy(options);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).message;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('ThrottlePolicy', function () {
  describe('when maxFailures is not an integer from 1 to 100', function () {
    // freeAttempts 0 keeps the freeAttempts check (freeAttempts > maxFailures) from firing first.
    for (const [label, maxFailures] of [
      ['NaN', Number.NaN],
      ['0', 0],
      ['2.5', 2.5],
      ['101', MAX_FAILURES_CEILING + 1],
      ['-1', -1],
      ['Infinity', Number.POSITIVE_INFINITY],
    ] as const) {
      it(`S16: refuses maxFailures ${label} with its own check, whatever freeAttempts is`, function () {
        expect(refusal({ maxFailures, freeAttempts: 0 })).to.match(MAX_FAILURES_MESSAGE);
        expect(refusal({ maxFailures })).to.match(MAX_FAILURES_MESSAGE);
      });
    }

    it('S16: the service refuses maxFailures NaN at setup, so no factor is left that never locks', function () {
      expect(() => makeService({ throttle: { maxFailures: Number.NaN } })).to.throw(
        ConfigurationError,
        MAX_FAILURES_MESSAGE,
      );
    });
  });

  describe('when maxFailures is at a bound', function () {
    it('S16: accepts 1 (with no free attempts) and locks at the first failure', function () {
      const policy = new ThrottlePolicy({ maxFailures: 1, freeAttempts: 0 });
      expect(policy.decide(0, NOW)).to.deep.equal({ backoffUntil: null, lock: false });
      expect(policy.decide(1, NOW)).to.deep.equal({ backoffUntil: null, lock: true });
    });

    it(`S16: accepts ${MAX_FAILURES_CEILING} and locks exactly there`, function () {
      const policy = new ThrottlePolicy({ maxFailures: MAX_FAILURES_CEILING });
      expect(policy.decide(MAX_FAILURES_CEILING - 1, NOW).lock).to.equal(false);
      expect(policy.decide(MAX_FAILURES_CEILING, NOW).lock).to.equal(true);
    });
  });

  describe('when freeAttempts is out of range', function () {
    for (const [label, options] of [
      ['-1', { freeAttempts: -1 }],
      ['1.5', { freeAttempts: 1.5 }],
      ['NaN', { freeAttempts: Number.NaN }],
      ['above maxFailures', { maxFailures: 5, freeAttempts: 6 }],
    ] as const) {
      it(`S16: refuses freeAttempts ${label} with its own check`, function () {
        expect(refusal(options)).to.match(FREE_ATTEMPTS_MESSAGE);
      });
    }

    it('S16: accepts freeAttempts 0 and freeAttempts equal to maxFailures', function () {
      expect(new ThrottlePolicy({ freeAttempts: 0 }).options.freeAttempts).to.equal(0);
      const allFree = new ThrottlePolicy({ maxFailures: 5, freeAttempts: 5 });
      expect(allFree.decide(4, NOW)).to.deep.equal({ backoffUntil: null, lock: false });
      expect(allFree.decide(5, NOW).lock).to.equal(true);
    });
  });

  describe('when the delays are out of range', function () {
    for (const [label, options] of [
      ['baseDelaySeconds 0', { baseDelaySeconds: 0 }],
      ['baseDelaySeconds -1', { baseDelaySeconds: -1 }],
      ['baseDelaySeconds NaN', { baseDelaySeconds: Number.NaN }],
      ['maxDelaySeconds NaN', { maxDelaySeconds: Number.NaN }],
      ['maxDelaySeconds below baseDelaySeconds', { baseDelaySeconds: 10, maxDelaySeconds: 9 }],
    ] as const) {
      it(`S16: refuses ${label} with its own check`, function () {
        expect(refusal(options)).to.match(DELAYS_MESSAGE);
      });
    }

    it('S16: accepts maxDelaySeconds equal to baseDelaySeconds: a flat backoff', function () {
      const policy = new ThrottlePolicy({ freeAttempts: 0, baseDelaySeconds: 5, maxDelaySeconds: 5 });
      for (const count of [1, 2, 9])
        expect(policy.decide(count, NOW).backoffUntil?.getTime(), `count ${count}`).to.equal(NOW.getTime() + 5000);
    });
  });

  describe('when the options are accepted', function () {
    it('S16: freezes them, so the policy cannot be loosened after setup', function () {
      const policy = new ThrottlePolicy({ maxFailures: 5 });
      expect(Object.isFrozen(policy.options)).to.equal(true);
      expect(policy.options).to.include({ maxFailures: 5, freeAttempts: 3 });
    });
  });
});
