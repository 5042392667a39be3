import * as chai from 'chai';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadHotpVectors, loadTotpVectors, VECTOR_FIXTURES_DIR } from '../src';

const { expect } = chai;

describe('vector loader', function () {
  describe('when the fixtures are read', function () {
    it('finds them inside this package', function () {
      expect(path.relative(path.join(__dirname, '..'), VECTOR_FIXTURES_DIR)).to.equal('fixtures');
      expect(existsSync(path.join(VECTOR_FIXTURES_DIR, 'rfc4226-hotp.json'))).to.be.true;
    });

    it('loads the ten RFC 4226 Appendix D rows with the 20-byte secret', function () {
      const hotp = loadHotpVectors();
      expect(hotp.secret.toString('ascii')).to.equal('12345678901234567890');
      expect(hotp.vectors.map((v) => v.counter)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(hotp.vectors[0].hotp).to.equal('755224');
    });

    it('loads the RFC 6238 Appendix B rows with per-algorithm seeds and numeric steps', function () {
      const totp = loadTotpVectors();
      expect(totp.seeds.SHA1.length).to.equal(20);
      expect(totp.seeds.SHA256.length).to.equal(32);
      expect(totp.seeds.SHA512.length).to.equal(64);
      expect(totp.vectors).to.have.length(18);
      const last = totp.vectors[totp.vectors.length - 1];
      expect(last.timeSeconds).to.equal(20000000000);
      expect(last.step).to.equal(Math.floor(20000000000 / 30));
      expect(totp.pitfalls.sha256With20ByteSeedAt59).to.equal('32247374');
    });
  });
});
