import * as chai from 'chai';
import { loadHotpVectors, loadTotpVectors } from '@secondfactor/test-utils';
import { base32Decode, generateTotp, hotp, timeStep, verifyTotp } from '../src';

const { expect } = chai;
const hotpVectors = loadHotpVectors();
const totpVectors = loadTotpVectors();

describe('hotp', function () {
  describe('when given the RFC 4226 Appendix D secret', function () {
    for (const vector of hotpVectors.vectors) {
      it(`S1: counter ${vector.counter} gives ${vector.hotp}`, function () {
        expect(hotp({ secret: hotpVectors.secret, counter: BigInt(vector.counter) })).to.equal(vector.hotp);
      });
    }

    it('S1: dynamic truncation yields every Appendix D 31-bit value', function () {
      // With 10 digits the modulus exceeds 2^31, so the value is the untouched truncated integer.
      const truncated = hotpVectors.vectors.map((v) =>
        Number(hotp({ secret: hotpVectors.secret, counter: BigInt(v.counter), digits: 10 })),
      );
      expect(truncated).to.deep.equal(hotpVectors.vectors.map((v) => v.truncatedDecimal));
    });

    it('decodes the published base32 form to the same secret', function () {
      expect(base32Decode(hotpVectors.secretBase32)).to.deep.equal(hotpVectors.secret);
    });
  });

  describe('when the counter needs more than 32 bits', function () {
    it('S2: writes it as a 64-bit big-endian integer', function () {
      const high = 2n ** 40n + 5n;
      expect(hotp({ secret: hotpVectors.secret, counter: high })).to.not.equal(
        hotp({ secret: hotpVectors.secret, counter: 5n }),
      );
    });
  });
});

describe('generateTotp', function () {
  describe('when given the RFC 6238 Appendix B vectors with per-algorithm seeds', function () {
    for (const vector of totpVectors.vectors) {
      it(`S1: ${vector.algorithm} at T = ${vector.timeSeconds} gives ${vector.totp8} (8 digits) and ${vector.totp6} (6 digits)`, function () {
        const options = {
          secret: totpVectors.seeds[vector.algorithm],
          timeMs: vector.timeSeconds * 1000,
          algorithm: vector.algorithm,
        };
        expect(generateTotp({ ...options, digits: 8 })).to.equal(vector.totp8);
        expect(generateTotp({ ...options, digits: 6 })).to.equal(vector.totp6);
      });
    }
  });

  describe('when SHA256 or SHA512 get the 20-byte SHA1 seed (the errata 2866 pitfall)', function () {
    it('S1: the proper seeds never produce the pitfall values', function () {
      const at59 = { timeMs: 59_000, digits: 8 };
      expect(generateTotp({ ...at59, secret: totpVectors.seeds.SHA256, algorithm: 'SHA256' })).to.not.equal(
        totpVectors.pitfalls.sha256With20ByteSeedAt59,
      );
      expect(generateTotp({ ...at59, secret: totpVectors.seeds.SHA512, algorithm: 'SHA512' })).to.not.equal(
        totpVectors.pitfalls.sha512With20ByteSeedAt59,
      );
    });

    it('S1: the 20-byte seed reproduces them, so the negative check above is meaningful', function () {
      const at59 = { timeMs: 59_000, digits: 8, secret: totpVectors.seeds.SHA1 };
      expect(generateTotp({ ...at59, algorithm: 'SHA256' })).to.equal(totpVectors.pitfalls.sha256With20ByteSeedAt59);
      expect(generateTotp({ ...at59, algorithm: 'SHA512' })).to.equal(totpVectors.pitfalls.sha512With20ByteSeedAt59);
    });
  });

  describe('when the time is on either side of a 30 s step boundary', function () {
    for (const boundary of totpVectors.stepBoundaries) {
      it(`T = ${boundary.timeSeconds} s is step ${boundary.step} with code ${boundary.totp6}`, function () {
        expect(timeStep(boundary.timeSeconds * 1000)).to.equal(boundary.step);
        expect(generateTotp({ secret: totpVectors.seeds.SHA1, timeMs: boundary.timeSeconds * 1000 })).to.equal(
          boundary.totp6,
        );
      });
    }

    it('counts 29.999 s as step 0 and 30.000 s as step 1', function () {
      expect(timeStep(29_999)).to.equal(0);
      expect(timeStep(30_000)).to.equal(1);
    });
  });

  describe('when T = 20000000000 (after 2038 and past 32-bit steps in seconds)', function () {
    it('S2: computes step 0x27BC86AA and the RFC codes for all three algorithms', function () {
      const rows = totpVectors.vectors.filter((v) => v.timeSeconds === 20000000000);
      expect(rows.map((v) => v.algorithm).sort()).to.deep.equal(['SHA1', 'SHA256', 'SHA512']);
      for (const row of rows) {
        expect(timeStep(row.timeSeconds * 1000)).to.equal(0x27bc86aa);
        expect(
          generateTotp({
            secret: totpVectors.seeds[row.algorithm],
            timeMs: row.timeSeconds * 1000,
            digits: 8,
            algorithm: row.algorithm,
          }),
        ).to.equal(row.totp8);
      }
    });
  });

  describe('when the code starts with zeros', function () {
    it('S1: keeps them, as a string: 081804 at T = 1111111109 and 005924 at T = 1234567890', function () {
      expect(generateTotp({ secret: totpVectors.seeds.SHA1, timeMs: 1111111109_000 })).to.equal('081804');
      expect(generateTotp({ secret: totpVectors.seeds.SHA1, timeMs: 1234567890_000 })).to.equal('005924');
    });

    it('S1: verifies the zero-led string and refuses it without the zeros', function () {
      const secret = totpVectors.seeds.SHA1;
      expect(verifyTotp({ secret, code: '081804', timeMs: 1111111109_000 })).to.deep.equal({
        valid: true,
        timeStep: 0x23523ec,
        delta: 0,
      });
      expect(verifyTotp({ secret, code: '81804', timeMs: 1111111109_000 })).to.deep.equal({ valid: false });
    });
  });
});

describe('verifyTotp', function () {
  describe('when given each RFC 6238 vector at its own time', function () {
    for (const vector of totpVectors.vectors) {
      it(`S1: accepts ${vector.algorithm} ${vector.totp8} at step ${vector.stepHex}, delta 0`, function () {
        const result = verifyTotp({
          secret: totpVectors.seeds[vector.algorithm],
          code: vector.totp8,
          timeMs: vector.timeSeconds * 1000,
          digits: 8,
          algorithm: vector.algorithm,
          window: { past: 0, future: 0 },
        });
        expect(result).to.deep.equal({ valid: true, timeStep: vector.step, delta: 0 });
      });
    }
  });

  describe('when the algorithm does not match the one the code was made with', function () {
    it('refuses the code', function () {
      const vector = totpVectors.vectors.find((v) => v.algorithm === 'SHA256' && v.timeSeconds === 59);
      expect(vector).to.not.equal(undefined);
      const result = verifyTotp({
        secret: totpVectors.seeds.SHA256,
        code: vector?.totp8 ?? '',
        timeMs: 59_000,
        digits: 8,
        algorithm: 'SHA1',
      });
      expect(result.valid).to.equal(false);
    });
  });
});
