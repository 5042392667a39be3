/**
 * The length limit on typed codes (S13): input of up to 64 characters is normalised; 65 or more
 * is refused as too long before any other work, even when removing spaces would make it fit.
 */
import * as chai from 'chai';
import { MAX_CODE_INPUT_LENGTH, normalizeBackupCode, normalizeTotpCode } from '../src';
import { enroll, failure, makeService } from './support/service-fixture';

const { expect } = chai;

function padded(code: string, length: number): string {
  return ' '.repeat(length - code.length) + code;
}

describe('normalizeTotpCode', function () {
  describe(`when the input is exactly ${MAX_CODE_INPUT_LENGTH} characters`, function () {
    it('S13: accepts 58 spaces and 6 digits', function () {
      expect(MAX_CODE_INPUT_LENGTH).to.equal(64);
      expect(normalizeTotpCode(padded('012345', 64), 6)).to.deep.equal({ ok: true, value: '012345' });
    });
  });

  describe(`when the input is ${MAX_CODE_INPUT_LENGTH + 1} characters`, function () {
    it('S13: refuses 59 spaces and 6 digits as too_long', function () {
      expect(normalizeTotpCode(padded('012345', 65), 6)).to.deep.equal({ ok: false, reason: 'too_long' });
    });
  });
});

describe('normalizeBackupCode', function () {
  describe(`when the input is exactly ${MAX_CODE_INPUT_LENGTH} characters`, function () {
    it('S13, S19: accepts 48 spaces and the 16 symbols', function () {
      expect(normalizeBackupCode(padded('K7QXM2ZPW9RTHD4N', 64))).to.deep.equal({
        ok: true,
        value: 'K7QXM2ZPW9RTHD4N',
      });
    });
  });

  describe(`when the input is ${MAX_CODE_INPUT_LENGTH + 1} characters`, function () {
    it('S13: refuses 49 spaces and the 16 symbols as too_long', function () {
      expect(normalizeBackupCode(padded('K7QXM2ZPW9RTHD4N', 65))).to.deep.equal({ ok: false, reason: 'too_long' });
      expect(normalizeBackupCode(padded('K7QX-M2ZP-W9RT-HD4N', 65))).to.deep.equal({ ok: false, reason: 'too_long' });
    });
  });
});

describe('TwoFactorService', function () {
  describe('when useBackupCode gets input that is not a backup code', function () {
    it('S13: answers 400 with a message about the format, uncounted', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = failure(
        await fixture.service.useBackupCode({ userId: 'u1', backupCode: padded(user.backupCodes[0], 65) }),
      );
      expect(outcome.error).to.include({
        status: 400,
        code: 'TWO_FACTOR_INVALID_INPUT',
        message: 'The backup code is not in the expected format.',
      });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });
  });
});
