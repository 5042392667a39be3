import * as chai from 'chai';
import {
  ConfigurationError,
  DEFAULT_PASSWORD_THROTTLE_POLICY,
  MemoryPasswordThrottleStore,
  PasswordThrottle,
  resolvePasswordThrottlePolicy,
} from '../src';

const { expect } = chai;

describe('resolvePasswordThrottlePolicy', function () {
  describe('when given nothing', function () {
    it('S32: is the default: 5 free failures, 60 s doubling to 3600 s, 100 attempts per address per 600 s', function () {
      expect(resolvePasswordThrottlePolicy()).to.deep.equal({
        freeFailures: 5,
        baseDelaySeconds: 60,
        maxDelaySeconds: 3600,
        addressLimit: 100,
        addressWindowSeconds: 600,
      });
      expect(Object.isFrozen(DEFAULT_PASSWORD_THROTTLE_POLICY)).to.equal(true);
    });
  });

  describe('when a number is out of range', function () {
    for (const [name, options] of [
      ['a negative address limit', { addressLimit: -1 }],
      ['a fractional free-failure count', { freeFailures: 1.5 }],
      ['a base delay of 0', { baseDelaySeconds: 0 }],
      ['a maximum below the base', { baseDelaySeconds: 60, maxDelaySeconds: 30 }],
      ['a window of 0', { addressWindowSeconds: 0 }],
      ['NaN', { addressLimit: Number.NaN }],
    ] as const)
      it(`refuses ${name} with a ConfigurationError, also when a PasswordThrottle is built`, function () {
        expect(() => resolvePasswordThrottlePolicy(options)).to.throw(ConfigurationError);
        expect(() => new PasswordThrottle(new MemoryPasswordThrottleStore(), { policy: options })).to.throw(
          ConfigurationError,
        );
      });
  });
});
