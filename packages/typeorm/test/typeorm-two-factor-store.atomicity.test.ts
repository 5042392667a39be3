import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { base32Decode, generateTotp } from '@secondfactor/core';
import { TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { StatementCounter } from './support/statement-counter';
import { currentCode, enroll, makeService } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when the process dies between two statements of a transaction', function () {
      let database: TestDatabase;
      let store: TypeOrmTwoFactorStore;
      const crash = new StatementCounter();

      before(async function () {
        database = await openDatabase(kind, { logger: crash });
        store = new TypeOrmTwoFactorStore(database.dataSource);
      });

      after(async function () {
        await database?.teardown();
      });

      it('S7: confirming leaves 2FA off when the backup codes could not be stored', async function () {
        const fixture = makeService(store);
        const userId = `user-${Date.now()}`;
        const start = await fixture.service.beginEnrollment({ userId, accountName: 'ada@example.com' });
        if (!start.ok) throw start.error;
        const code = generateTotp({ secret: base32Decode(start.secret)!, timeMs: fixture.clock.nowMs() });
        crash.failOn = /^INSERT INTO .two_factor_backup_codes/;
        await expect(fixture.service.confirmEnrollment({ userId, code })).to.be.rejectedWith(/simulated crash/);
        const record = await store.findByUserId(userId);
        expect(record?.state).to.equal('pending');
        expect(record?.lastUsedStep).to.equal(null);
        expect(await store.listUnusedBackupCodeHashes(record!.id)).to.deep.equal([]);
        // The same code still confirms once the database is healthy again.
        const confirmed = await fixture.service.confirmEnrollment({ userId, code });
        expect(confirmed.ok).to.equal(true);
        expect(await store.listUnusedBackupCodeHashes(record!.id)).to.have.length(1);
      });

      it('S19: using the last backup code keeps it when the new set could not be stored', async function () {
        const fixture = makeService(store);
        const user = await enroll(fixture);
        crash.failOn = /^INSERT INTO .two_factor_backup_codes/;
        await expect(
          fixture.service.useBackupCode({ userId: user.userId, backupCode: user.backupCodes[0] }),
        ).to.be.rejectedWith(/simulated crash/);
        const outcome = await fixture.service.useBackupCode({ userId: user.userId, backupCode: user.backupCodes[0] });
        expect(outcome.ok).to.equal(true);
      });

      it('S16: a failure is either fully counted with its backoff or not at all', async function () {
        const fixture = makeService(store, { throttle: { freeAttempts: 0 } });
        const user = await enroll(fixture);
        const credential = (await store.findByUserId(user.userId))!;
        crash.failOn = /^UPDATE .two_factor_credentials.\s+SET backoff_until/;
        const now = fixture.clock.now();
        await expect(
          store.recordFailure({
            credentialId: credential.id,
            now,
            decide: () => ({ backoffUntil: new Date(now.getTime() + 2000), lock: false }),
          }),
        ).to.be.rejectedWith(/simulated crash/);
        const record = await store.findByUserId(user.userId);
        expect(record?.failureCount).to.equal(0);
        expect(record?.backoffUntil).to.equal(null);
        expect(
          (await fixture.service.verifyCode({ userId: user.userId, code: currentCode(fixture, user.secret) })).ok,
        ).to.equal(true);
      });
    });
  });
});
