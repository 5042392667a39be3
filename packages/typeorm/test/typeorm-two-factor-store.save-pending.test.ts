import * as chai from 'chai';
import { randomUUID } from 'node:crypto';
import { TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { enroll, makeService } from './support/two-factor-fixture';

const { expect } = chai;

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when an enrollment is restarted', function () {
      let database: TestDatabase;
      let store: TypeOrmTwoFactorStore;
      const now = new Date(Date.UTC(2030, 0, 1));

      before(async function () {
        database = await openDatabase(kind);
        store = new TypeOrmTwoFactorStore(database.dataSource);
      });

      after(async function () {
        await database?.teardown();
      });

      const pending = (userId: string, secret: string) => ({
        id: randomUUID(),
        userId,
        encryptedSecret: `sf1.k1.${secret}`,
        keyId: 'k1',
        pendingExpiresAt: new Date(now.getTime() + 600_000),
        now,
      });

      it('S7: replaces the whole pending row, so nothing of the old one survives (failures included)', async function () {
        const userId = `user-${kind}-restart`;
        const first = pending(userId, 'first');
        expect(await store.savePending(first)).to.equal(true);
        for (let i = 0; i < 2; i++)
          await store.recordFailure({
            credentialId: first.id,
            now,
            decide: () => ({ backoffUntil: new Date(now.getTime() + 60_000), lock: i === 1 }),
          });
        const second = pending(userId, 'second');
        expect(await store.savePending(second)).to.equal(true);
        const record = await store.findByUserId(userId);
        expect(record).to.include({
          id: second.id,
          state: 'pending',
          encryptedSecret: 'sf1.k1.second',
          failureCount: 0,
          backoffUntil: null,
          lockedAt: null,
          lastUsedStep: null,
          confirmedAt: null,
        });
        const rows = await database.sql<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM ${database.quote('two_factor_credentials')} WHERE user_id = ?`,
          [userId],
        );
        expect(Number(rows[0].n)).to.equal(1);
      });

      it('S7: leaves an active credential exactly as it was and says so', async function () {
        const user = await enroll(makeService(store));
        const before = await store.findByUserId(user.userId);
        expect(await store.savePending(pending(user.userId, 'intruder'))).to.equal(false);
        expect(await store.findByUserId(user.userId)).to.deep.equal(before);
      });
    });
  });
});
