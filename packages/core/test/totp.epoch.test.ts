/**
 * The window at the start of Unix time (S2, S11): step 0 is a real step, and a window reaching
 * before it does not wrap around to the 64-bit counter's last values.
 */
import * as chai from 'chai';
import { hotp, verifyTotp } from '../src';

const { expect } = chai;

const SECRET = Buffer.from('12345678901234567890');

describe('verifyTotp', function () {
  describe('when the current step is 0', function () {
    it('S2, S11: accepts the code of step 0', function () {
      const code = hotp({ secret: SECRET, counter: 0n });
      expect(verifyTotp({ secret: SECRET, code, timeMs: 15_000, window: { past: 0, future: 0 } })).to.deep.equal({
        valid: true,
        timeStep: 0,
        delta: 0,
      });
    });

    it('S2, S11: does not accept the code of counter 2^64 − 1 as step −1', function () {
      const wrapped = hotp({ secret: SECRET, counter: 2n ** 64n - 1n });
      expect(wrapped).to.not.equal(hotp({ secret: SECRET, counter: 0n }));
      expect(hotp({ secret: SECRET, counter: -1n })).to.equal(wrapped);
      expect(
        verifyTotp({ secret: SECRET, code: wrapped, timeMs: 15_000, window: { past: 1, future: 0 } }),
      ).to.deep.equal({ valid: false });
    });
  });

  describe('when the current step is 1', function () {
    it('S11: accepts the code of step 0 as one step back', function () {
      const code = hotp({ secret: SECRET, counter: 0n });
      expect(verifyTotp({ secret: SECRET, code, timeMs: 45_000, window: { past: 1, future: 0 } })).to.deep.equal({
        valid: true,
        timeStep: 0,
        delta: -1,
      });
    });
  });
});
