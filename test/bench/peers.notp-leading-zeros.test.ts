import * as chai from 'chai';
import { hotp, verifyTotp } from '@secondfactor/core';
import { hotp as notpHotp } from 'notp';

const { expect } = chai;

// docs/performance.md says notp (under passport-totp) refuses valid codes whose HOTP value is
// below 100000; this pins the claim so the page cannot silently become wrong.
describe('notp, the baseline of the benchmarks', () => {
  describe('when the truncated HOTP value is below 100000', () => {
    it('refuses the valid, zero-padded RFC 4226 code that core accepts', () => {
      const secret = Buffer.from('12345678901234567890');
      let counter = 0;
      while (notpHotp.gen(secret, { counter }).length === 6) counter++;
      const code = hotp({ secret, counter: BigInt(counter) });
      expect(code).to.match(/^0\d{5}$/);
      expect(notpHotp.verify(code, secret, { counter, window: 1 })).to.equal(null);
      expect(verifyTotp({ secret, code, timeMs: counter * 30_000 })).to.deep.equal({
        valid: true,
        timeStep: counter,
        delta: 0,
      });
    });
  });
});
