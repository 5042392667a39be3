/**
 * What a refused second step reports (S27): each failure is an event naming its method and a
 * precise reason, while the user sees one message per kind of failure.
 */
import * as chai from 'chai';
import { enroll, failure, makeService } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when a user without 2FA tries the second step', function () {
    it('S27: answers 409 TWO_FACTOR_NOT_ENABLED and emits code.failed for a code', async function () {
      const fixture = makeService();
      const outcome = failure(await fixture.service.verifyCode({ userId: 'u1', code: '123456' }));
      expect(outcome.error).to.include({
        status: 409,
        code: 'TWO_FACTOR_NOT_ENABLED',
        message: 'Two-factor authentication is not enabled.',
      });
      expect(outcome.reason).to.equal('not_enabled');
      expect(fixture.events.at(-1)).to.include({
        type: 'code.failed',
        method: 'totp',
        reason: 'not_enabled',
        userId: 'u1',
      });
    });

    it('S27: answers 409 TWO_FACTOR_NOT_ENABLED and emits backup_code.failed for a backup code', async function () {
      const fixture = makeService();
      const outcome = failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: 'AAAA-BBBB-CCCC-DDDD' }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_NOT_ENABLED' });
      expect(fixture.events.at(-1)).to.include({
        type: 'backup_code.failed',
        method: 'backup_code',
        reason: 'not_enabled',
        userId: 'u1',
      });
    });
  });

  describe('when parallel requests use one backup code', function () {
    it('S19, S27: the others are refused as replays of a backup code, 401 and uncounted', async function () {
      const fixture = makeService({ backupCodeCount: 2 });
      const user = await enroll(fixture, 'u1');
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () =>
          fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }),
        ),
      );
      const refused = outcomes.filter((outcome) => !outcome.ok).map(failure);
      expect(refused).to.have.length(4);
      for (const outcome of refused) {
        expect(outcome.error).to.include({ status: 401, code: 'TWO_FACTOR_INVALID_CODE' });
        expect(outcome.reason).to.equal('replayed');
      }
      const replays = fixture.events.filter((event) => event.reason === 'replayed');
      expect(replays).to.have.length(4);
      for (const event of replays) expect(event).to.include({ type: 'backup_code.failed', method: 'backup_code' });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });
  });
});
