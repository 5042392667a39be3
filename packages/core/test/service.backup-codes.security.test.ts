import * as chai from 'chai';
import { BACKUP_CODE_ALPHABET, MAX_BACKUP_CODE_COUNT } from '../src';
import { codeAt, enroll, failure, makeService, PASSWORD, success, wrongCode } from './support/service-fixture';

const { expect } = chai;
const FORMAT = new RegExp(`^[${BACKUP_CODE_ALPHABET}]{4}(-[${BACKUP_CODE_ALPHABET}]{4}){3}$`);

describe('TwoFactorService', function () {
  describe('when the only backup code is used (default count 1)', function () {
    it('S19: signs in, issues a new code once, and keeps 2FA on', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      expect(user.backupCodes).to.have.length(1);
      const outcome = success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      expect(outcome.method).to.equal('backup_code');
      expect(outcome.backupCodes).to.have.length(1);
      expect(outcome.backupCodes?.[0]).to.match(FORMAT);
      expect(outcome.backupCodes?.[0]).to.not.equal(user.backupCodes[0]);
      expect(outcome.backupCodesRemaining).to.equal(1);
      expect(await fixture.service.status('u1')).to.include({ enabled: true, backupCodesRemaining: 1 });
      expect(fixture.events.at(-1)).to.include({ type: 'backup_code.used', method: 'backup_code' });
    });

    it('S19: the used code never works again; the new one works once', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const first = success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      const again = failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      expect(again.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      const next = success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: first.backupCodes?.[0] }));
      expect(next.backupCodes?.[0]).to.not.equal(first.backupCodes?.[0]);
      expect(
        failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: first.backupCodes?.[0] })).error.code,
      ).to.equal('TWO_FACTOR_INVALID_CODE');
    });

    it('S19: TOTP still works afterwards', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
    });
  });

  describe('when the backup code is typed loosely', function () {
    for (const [label, transform] of [
      ['in lower case', (c: string) => c.toLowerCase()],
      ['without dashes', (c: string) => c.replace(/-/g, '')],
      ['with spaces instead of dashes', (c: string) => c.replace(/-/g, ' ')],
      ['with surrounding spaces and mixed case', (c: string) => ` ${c.slice(0, 9).toLowerCase()}${c.slice(9)} `],
    ] as Array<[string, (c: string) => string]>) {
      it(`S19: accepts it ${label}`, async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'u1');
        success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: transform(user.backupCodes[0]) }));
      });
    }
  });

  describe('when the set holds 10 codes', function () {
    it('S19: using one leaves 9 and issues nothing new', async function () {
      const fixture = makeService({ backupCodeCount: 10 });
      const user = await enroll(fixture, 'u1');
      expect(user.backupCodes).to.have.length(10);
      expect(new Set(user.backupCodes).size).to.equal(10);
      const outcome = success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[4] }));
      expect(outcome.backupCodes).to.equal(undefined);
      expect(outcome.backupCodesRemaining).to.equal(9);
      expect((await fixture.service.status('u1')).backupCodesRemaining).to.equal(9);
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[5] }));
    });

    it(`allows at most ${MAX_BACKUP_CODE_COUNT} codes per set`, async function () {
      const fixture = makeService({ backupCodeCount: MAX_BACKUP_CODE_COUNT, scrypt: { log2N: 10 } });
      expect((await enroll(fixture, 'u1')).backupCodes).to.have.length(MAX_BACKUP_CODE_COUNT);
    });
  });

  describe('when 20 requests use one backup code in parallel', function () {
    it('S19: exactly one signs in and exactly one new code is issued', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }),
        ),
      );
      const wins = outcomes.filter((o) => o.ok);
      expect(wins).to.have.length(1);
      const issued = success(wins[0]).backupCodes;
      expect(issued).to.have.length(1);
      expect((await fixture.service.status('u1')).backupCodesRemaining).to.equal(1);
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: issued?.[0] }));
      expect(fixture.events.filter((e) => e.type === 'backup_code.used')).to.have.length(2);
    });
  });

  describe('when a wrong backup code is used', function () {
    it('S16: answers 401 and counts it on the same counter as TOTP', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const other = makeService();
      const stranger = await enroll(other, 'u2');
      const outcome = failure(
        await fixture.service.useBackupCode({ userId: 'u1', backupCode: stranger.backupCodes[0] }),
      );
      expect(outcome.error).to.include({ status: 401, code: 'TWO_FACTOR_INVALID_CODE' });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
      failure(await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }));
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(2);
      expect(fixture.events.find((e) => e.type === 'backup_code.failed')).to.include({
        reason: 'invalid_code',
        failureCount: 1,
      });
    });
  });

  describe('when the backup codes are regenerated', function () {
    it('S8: refuses a wrong password with 401 and counts it', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: 'wrong' }));
      expect(outcome.error).to.include({ status: 401, code: 'TWO_FACTOR_INVALID_PASSWORD' });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
    });

    it('S8: refuses a missing or non-string password with 400, uncounted', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      for (const password of [undefined, '', ['x'], 42, 'x'.repeat(1025)]) {
        const outcome = failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password }));
        expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
      }
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });

    it('S8: with the password, returns a new set and kills the old code', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = success(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD }));
      expect(outcome.backupCodes).to.have.length(1);
      expect(outcome.backupCodes[0]).to.match(FORMAT);
      expect(
        failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] })).error.code,
      ).to.equal('TWO_FACTOR_INVALID_CODE');
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: outcome.backupCodes[0] }));
      expect(fixture.events.map((e) => e.type)).to.include('backup_codes.regenerated');
    });

    it('answers 409 TWO_FACTOR_NOT_ENABLED when 2FA is off', async function () {
      const { service } = makeService();
      expect(failure(await service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD })).error.code).to.equal(
        'TWO_FACTOR_NOT_ENABLED',
      );
    });
  });
});
