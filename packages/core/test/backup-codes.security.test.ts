import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import {
  BACKUP_CODE_ALPHABET,
  BACKUP_CODE_LENGTH,
  BackupCodeHasher,
  ConfigurationError,
  DEFAULT_SCRYPT_PARAMS,
  generateBackupCode,
  normalizeBackupCode,
} from '../src';
import { countScryptEvaluations } from './support/scrypt-counter';
import { enroll, makeService, success } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('generateBackupCode', function () {
  describe('when generating codes', function () {
    it('S17: writes 16 symbols in four groups of 4 from the unambiguous alphabet', function () {
      expect(BACKUP_CODE_ALPHABET).to.have.length(32);
      for (const ambiguous of ['I', 'O', '0', '1']) expect(BACKUP_CODE_ALPHABET).to.not.include(ambiguous);
      expect(new Set(BACKUP_CODE_ALPHABET).size).to.equal(32);
      for (let i = 0; i < 200; i++)
        expect(generateBackupCode()).to.match(
          /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/,
        );
    });

    it('S17: carries at least 80 bits (16 symbols × log2 32)', function () {
      expect(BACKUP_CODE_LENGTH * Math.log2(BACKUP_CODE_ALPHABET.length)).to.be.at.least(80);
    });

    it('S17: never repeats across 20 000 codes and uses every symbol about evenly', function () {
      const codes = Array.from({ length: 20_000 }, generateBackupCode);
      expect(new Set(codes).size).to.equal(codes.length);
      const counts = new Map<string, number>();
      for (const code of codes)
        for (const symbol of code.replace(/-/g, '')) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      expect(counts.size).to.equal(32);
      // 320 000 symbols: 10 000 expected each; a biased mapping (e.g. modulo of a non-multiple) shows up here.
      for (const [symbol, count] of counts) expect(count, symbol).to.be.within(9_400, 10_600);
    });
  });
});

describe('normalizeBackupCode', function () {
  describe('when the code is typed with other case, spaces or dashes', function () {
    it('S19: gives the same 16 upper-case symbols', function () {
      for (const typed of [
        'k7qx-m2zp-w9rt-hd4n',
        ' K7QX M2ZP W9RT HD4N ',
        'K7QXM2ZPW9RTHD4N',
        'k7qx--m2zp w9rt-HD4N',
      ]) {
        expect(normalizeBackupCode(typed)).to.deep.equal({ ok: true, value: 'K7QXM2ZPW9RTHD4N' });
      }
    });
  });
});

describe('BackupCodeHasher', function () {
  const scrypt = countScryptEvaluations();

  describe('when hashing a set', function () {
    it('S18: uses scrypt with the documented defaults N = 2^14, r = 8, p = 1', async function () {
      expect(DEFAULT_SCRYPT_PARAMS).to.deep.equal({ log2N: 14, r: 8, p: 1 });
      const [hash] = await new BackupCodeHasher().hashSet(['K7QX-M2ZP-W9RT-HD4N']);
      expect(hash).to.match(/^scrypt\$14\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    });

    it('S18: never stores the code, in any written form', async function () {
      const codes = Array.from({ length: 5 }, generateBackupCode);
      const hashes = await new BackupCodeHasher({ log2N: 10 }).hashSet(codes);
      const text = hashes.join('\n');
      for (const code of codes) {
        for (const form of [
          code,
          code.replace(/-/g, ''),
          code.toLowerCase(),
          Buffer.from(code.replace(/-/g, '')).toString('base64url'),
        ])
          expect(text).to.not.include(form);
      }
    });

    it('S18: salts each set afresh: the same code hashes differently in two sets', async function () {
      const hasher = new BackupCodeHasher({ log2N: 10 });
      const [a] = await hasher.hashSet(['K7QX-M2ZP-W9RT-HD4N']);
      const [b] = await hasher.hashSet(['K7QX-M2ZP-W9RT-HD4N']);
      expect(a).to.not.equal(b);
    });

    it('refuses a value that is not a backup code', async function () {
      await expect(new BackupCodeHasher({ log2N: 10 }).hashSet(['not a code'])).to.be.rejectedWith(ConfigurationError);
    });

    it('refuses scrypt parameters out of range at setup', function () {
      for (const params of [{ log2N: 0 }, { log2N: 21 }, { r: 0 }, { p: 1.5 }])
        expect(() => new BackupCodeHasher(params)).to.throw(ConfigurationError);
    });
  });

  describe('when checking an attempt', function () {
    for (const count of [1, 10]) {
      it(`S18: evaluates scrypt exactly once against a set of ${count}, matching or not`, async function () {
        const hasher = new BackupCodeHasher();
        const codes = Array.from({ length: count }, generateBackupCode);
        const hashes = await hasher.hashSet(codes);
        scrypt.reset();
        expect(await hasher.findMatch(codes[count - 1].replace(/-/g, ''), hashes)).to.equal(hashes[count - 1]);
        expect(scrypt.count).to.equal(1);
        scrypt.reset();
        expect(await hasher.findMatch('AAAABBBBCCCCDDDD', hashes)).to.equal(null);
        expect(scrypt.count).to.equal(1);
      });
    }

    it('skips stored values that are not scrypt hashes instead of failing', async function () {
      const hasher = new BackupCodeHasher({ log2N: 10 });
      const hashes = await hasher.hashSet(['K7QX-M2ZP-W9RT-HD4N']);
      expect(await hasher.findMatch('K7QXM2ZPW9RTHD4N', ['garbage', 'scrypt$99$8$1$AA$AA', ...hashes])).to.equal(
        hashes[0],
      );
    });
  });

  describe('when the service checks a backup code', function () {
    for (const count of [1, 10]) {
      it(`S18: one attempt costs one scrypt evaluation with ${count} stored code${count > 1 ? 's' : ''}`, async function () {
        const fixture = makeService({ backupCodeCount: count, scrypt: {} });
        const user = await enroll(fixture, 'u1');
        scrypt.reset();
        await fixture.service.useBackupCode({ userId: 'u1', backupCode: 'AAAA-BBBB-CCCC-DDDD' });
        expect(scrypt.count).to.equal(1);
        scrypt.reset();
        const used = success(
          await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[count - 1] }),
        );
        // The last code of a set also hashes the replacement set: one evaluation per new code.
        expect(scrypt.count).to.equal(1 + (used.backupCodes?.length ?? 0));
      });
    }
  });
});
