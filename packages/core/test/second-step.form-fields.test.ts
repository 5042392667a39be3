/**
 * The login form posts both fields, `code` and `backupCode`, and the user fills one. An empty
 * field counts as absent, so either path works from the same form (S19); anything else than
 * exactly one filled field is malformed input (S13).
 */
import * as chai from 'chai';
import { codeAt, enroll, failure, makeService, success } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when authenticate gets both fields with the code field empty', function () {
    it('S19: uses the backup code and signs in once', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const used = success(
        await fixture.service.authenticate({ userId: 'u1', code: '', backupCode: user.backupCodes[0] }),
      );
      expect(used.method).to.equal('backup_code');
      expect(fixture.events.at(-1)).to.include({ type: 'backup_code.used', userId: 'u1' });
      const again = failure(
        await fixture.service.authenticate({ userId: 'u1', code: '', backupCode: user.backupCodes[0] }),
      );
      expect(again.error.status).to.equal(401);
    });
  });

  describe('when authenticate gets both fields with the backup-code field empty', function () {
    it('S12: uses the TOTP code and records its step', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const verified = success(
        await fixture.service.authenticate({ userId: 'u1', code: codeAt(user.secret, fixture.clock), backupCode: '' }),
      );
      expect(verified.method).to.equal('totp');
      expect((await fixture.store.findByUserId('u1'))?.lastUsedStep).to.equal(verified.step);
    });
  });

  describe('when authenticate gets one field filled with something that is not an empty string', function () {
    for (const [label, input] of [
      ['a code of spaces beside a backup code', { code: ' ', backupCode: 'AAAA-BBBB-CCCC-DDDD' }],
      ['a null code beside a backup code', { code: null, backupCode: 'AAAA-BBBB-CCCC-DDDD' }],
    ] as const) {
      it(`S13: treats ${label} as both fields, 400 and uncounted`, async function () {
        const fixture = makeService();
        await enroll(fixture, 'u1');
        const outcome = failure(await fixture.service.authenticate({ userId: 'u1', ...input }));
        expect(outcome.error.status).to.equal(400);
        expect(outcome.error).to.include({
          code: 'TWO_FACTOR_INVALID_INPUT',
          message: 'Send exactly one of a code or a backup code.',
        });
        expect(fixture.events.at(-1)).to.include({ type: 'code.failed', reason: 'malformed_input', userId: 'u1' });
        expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
      });
    }
  });
});
