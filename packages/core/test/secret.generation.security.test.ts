import * as chai from 'chai';
import {
  base32Encode,
  formatSecretForDisplay,
  generateSecret,
  importSecret,
  InvalidInputError,
  MIN_SECRET_BYTES,
  SECRET_BYTES,
  secretToBase32,
} from '../src';

const { expect } = chai;

describe('generateSecret', function () {
  describe('when called', function () {
    it('S5: returns 20 bytes', function () {
      expect(SECRET_BYTES).to.equal(20);
      expect(generateSecret()).to.have.length(20);
    });

    it('S5: never repeats across 10 000 secrets', function () {
      const seen = new Set(Array.from({ length: 10_000 }, () => generateSecret().toString('hex')));
      expect(seen.size).to.equal(10_000);
    });

    it('S5: draws every byte value roughly evenly (CSPRNG, not a counter or a clock)', function () {
      const counts = new Array<number>(256).fill(0);
      for (let i = 0; i < 2_000; i++) for (const byte of generateSecret()) counts[byte] += 1;
      // 40 000 bytes: about 156 per value. A broken generator (constant, counter, ASCII) fails this wildly.
      expect(Math.min(...counts)).to.be.greaterThan(90);
      expect(Math.max(...counts)).to.be.lessThan(240);
    });
  });
});

describe('importSecret', function () {
  describe('when the secret is shorter than 16 bytes', function () {
    it('S5: refuses 15 bytes with InvalidInputError', function () {
      expect(MIN_SECRET_BYTES).to.equal(16);
      expect(() => importSecret(base32Encode(Buffer.alloc(15, 1)))).to.throw(InvalidInputError, /at least 16 bytes/);
      expect(() => importSecret('')).to.throw(InvalidInputError);
    });
  });

  describe('when the secret is 16 bytes or more', function () {
    it('S5: accepts it, ignoring case, spaces and padding', function () {
      expect(importSecret(base32Encode(Buffer.alloc(16, 7)))).to.deep.equal(Buffer.alloc(16, 7));
      expect(importSecret('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).to.deep.equal(
        Buffer.from('12345678901234567890'),
      );
      expect(importSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGE======')).to.have.length(21);
    });
  });

  describe('when the text is not base32', function () {
    it('refuses it instead of guessing', function () {
      expect(() => importSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1')).to.throw(InvalidInputError, /base32/);
      expect(() => importSecret('GEZDGNBVGY3TQOJQ!EZDGNBVGY3TQOJQ')).to.throw(InvalidInputError);
    });
  });
});

describe('secretToBase32 and formatSecretForDisplay', function () {
  describe('when given the RFC secret', function () {
    it('encodes it unpadded and groups it in fours', function () {
      const text = secretToBase32(Buffer.from('12345678901234567890'));
      expect(text).to.equal('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
      expect(formatSecretForDisplay(text)).to.equal('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
      expect(formatSecretForDisplay('ABCDEF')).to.equal('ABCD EF');
    });
  });
});
