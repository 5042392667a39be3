import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { KeyUnavailableError, MAX_CODE_INPUT_LENGTH, normalizeBackupCode, normalizeTotpCode } from '../src';
import { countScryptEvaluations } from './support/scrypt-counter';
import {
  codeAt,
  enroll,
  failure,
  makeService,
  success,
  wrongCode,
  type Enrolled,
  type ServiceFixture,
} from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const FULL_WIDTH_ZERO = 0xff10;
const ARABIC_INDIC_ZERO = 0x0660;

function shiftDigits(code: string, zero: number): string {
  return [...code].map((d) => String.fromCodePoint(zero + Number(d))).join('');
}

/** Malformed variants of a code; when the code is the correct one, each is still refused (S13). */
function malformedVariants(code: string): Array<[string, unknown]> {
  return [
    ['an array holding the code', [code]],
    ['a number', Number(code)],
    ['null', null],
    ['undefined', undefined],
    ['an object', { code }],
    ['a boolean', true],
    ['full-width digits', shiftDigits(code, FULL_WIDTH_ZERO)],
    ['Arabic-Indic digits', shiftDigits(code, ARABIC_INDIC_ZERO)],
    ['a plus sign', `+${code.slice(1)}`],
    ['a minus sign', `-${code.slice(1)}`],
    ['a trailing NUL', `${code}\u0000`],
    ['an embedded NUL', `${code.slice(0, 3)}\u0000${code.slice(3, 5)}`],
    ['five digits', code.slice(0, 5)],
    ['seven digits', `${code}2`],
    ['a tab inside', `${code.slice(0, 3)}\t${code.slice(3)}`],
    ['letters', 'abcdef'],
    ['an empty string', ''],
    ['a 1 MB string', '2'.repeat(1024 * 1024)],
  ];
}

describe('normalizeTotpCode', function () {
  describe('when given anything but a string of 6 ASCII digits', function () {
    for (const [label, input] of [
      ...malformedVariants('287082'),
      ['the RFC example 28708', '28708'],
      ['2870822', '2870822'],
    ] as Array<[string, unknown]>) {
      it(`S13: refuses ${label}`, function () {
        expect(normalizeTotpCode(input, 6).ok).to.equal(false);
      });
    }
  });

  describe('when the input is too long to be a code', function () {
    it(`S13: refuses more than ${MAX_CODE_INPUT_LENGTH} characters as too_long, even if spaces would shrink it`, function () {
      expect(normalizeTotpCode(' '.repeat(MAX_CODE_INPUT_LENGTH) + '287082', 6)).to.deep.equal({
        ok: false,
        reason: 'too_long',
      });
      expect(normalizeTotpCode('2'.repeat(1024 * 1024), 6)).to.deep.equal({ ok: false, reason: 'too_long' });
    });
  });

  describe('when the code is written with spaces', function () {
    it('S13: removes ASCII spaces and keeps leading zeros', function () {
      expect(normalizeTotpCode(' 081 804 ', 6)).to.deep.equal({ ok: true, value: '081804' });
      expect(normalizeTotpCode('005924', 6)).to.deep.equal({ ok: true, value: '005924' });
    });

    it('reports why it refused: not_string, bad_format', function () {
      expect(normalizeTotpCode(287082, 6)).to.deep.equal({ ok: false, reason: 'not_string' });
      expect(normalizeTotpCode('２８７０８２', 6)).to.deep.equal({ ok: false, reason: 'bad_format' });
    });
  });
});

describe('TwoFactorService', function () {
  describe('when verifyCode gets malformed input', function () {
    let fixture: ServiceFixture;
    let user: Enrolled;

    beforeEach(async function () {
      fixture = makeService();
      user = await enroll(fixture, 'input-user');
    });

    for (const [label] of malformedVariants('000000')) {
      it(`S13: refuses the correct code as ${label} with 400 TWO_FACTOR_INVALID_INPUT, uncounted`, async function () {
        const variant = malformedVariants(codeAt(user.secret, fixture.clock)).find(([l]) => l === label)?.[1];
        const before = await fixture.store.findByUserId(user.userId);
        const outcome = failure(await fixture.service.verifyCode({ userId: user.userId, code: variant }));
        expect(outcome.error.status).to.equal(400);
        expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
        expect(outcome.reason).to.equal('malformed_input');
        const after = await fixture.store.findByUserId(user.userId);
        expect(after?.failureCount).to.equal(0);
        expect(after?.lastUsedStep).to.equal(before?.lastUsedStep);
        expect(fixture.events.at(-1)).to.include({ type: 'code.failed', reason: 'malformed_input' });
      });
    }

    it('S13: accepts the correct code written with spaces', async function () {
      const code = codeAt(user.secret, fixture.clock);
      expect(
        success(await fixture.service.verifyCode({ userId: user.userId, code: `${code.slice(0, 3)} ${code.slice(3)}` }))
          .method,
      ).to.equal('totp');
    });
  });

  describe('when the stored secret cannot be decrypted', function () {
    let fixture: ServiceFixture;
    let user: Enrolled;

    beforeEach(async function () {
      fixture = makeService();
      user = await enroll(fixture, 'before-crypto-user');
      const record = await fixture.store.findByUserId(user.userId);
      if (!record) throw new Error('enrollment did not store a credential');
      // Any decryption of this envelope throws KeyUnavailableError: a refusal proves no crypto ran.
      const unreadable = record.encryptedSecret.replace(/^sf1\.k1\./, 'sf1.gone.');
      expect(
        await fixture.store.updateSecret({
          credentialId: record.id,
          expectedEncryptedSecret: record.encryptedSecret,
          encryptedSecret: unreadable,
          keyId: 'gone',
          now: fixture.clock.now(),
        }),
      ).to.equal(true);
    });

    it('reaches decryption for a well-formed code (the control)', async function () {
      await expect(
        fixture.service.verifyCode({ userId: user.userId, code: wrongCode(user.secret, fixture.clock) }),
      ).to.be.rejectedWith(KeyUnavailableError);
    });

    for (const [label, input] of malformedVariants('287082')) {
      it(`S13: refuses ${label} before any crypto`, async function () {
        const outcome = failure(await fixture.service.verifyCode({ userId: user.userId, code: input }));
        expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
      });
    }
  });
});

describe('normalizeBackupCode', function () {
  describe('when given malformed input', function () {
    for (const [label, input] of [
      ['a number', 1234],
      ['null', null],
      ['an array', ['ABCD-EFGH-JKLM-NPQR']],
      ['an object', { backupCode: 'ABCD-EFGH-JKLM-NPQR' }],
      ['letters outside the alphabet (I, O, 0, 1)', 'ABCD-EFGH-JKLM-NPQ0'],
      ['full-width letters', 'ＡＢＣＤ-EFGH-JKLM-NPQR'],
      ['a NUL', 'ABCD-EFGH-JKLM-NPQ\u0000'],
      ['too few symbols', 'ABCD-EFGH-JKLM-NPQ'],
      ['too many symbols', 'ABCD-EFGH-JKLM-NPQRS'],
      ['a 1 MB string', 'A'.repeat(1024 * 1024)],
    ] as Array<[string, unknown]>) {
      it(`S13: refuses ${label}`, function () {
        expect(normalizeBackupCode(input).ok).to.equal(false);
      });
    }
  });
});

describe('TwoFactorService', function () {
  describe('when useBackupCode gets malformed input', function () {
    const scrypt = countScryptEvaluations();

    for (const [label, variant] of [
      ['an array', (code: string) => [code]],
      ['a number', () => 12345678],
      ['null', () => null],
      [
        'a full-width code',
        (code: string) => code.replace(/[A-Z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)),
      ],
      ['a NUL inside', (code: string) => `${code.slice(0, 5)}\u0000${code.slice(6)}`],
      ['a 1 MB string', () => 'A'.repeat(1024 * 1024)],
    ] as Array<[string, (code: string) => unknown]>) {
      it(`S13: refuses the real code as ${label} with 400, before any scrypt evaluation and uncounted`, async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'backup-input-user');
        scrypt.reset();
        const outcome = failure(
          await fixture.service.useBackupCode({ userId: user.userId, backupCode: variant(user.backupCodes[0]) }),
        );
        expect(outcome.error.status).to.equal(400);
        expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
        expect(scrypt.count).to.equal(0);
        expect((await fixture.store.findByUserId(user.userId))?.failureCount).to.equal(0);
        expect(
          await fixture.store.listUnusedBackupCodeHashes((await fixture.store.findByUserId(user.userId))!.id),
        ).to.have.length(1);
      });
    }
  });
});
