import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { Keyring, KeyUnavailableError, SecretCipher, TwoFactorService } from '@secondfactor/core';
import { DataSource, type BeforeQueryEvent, type DataSourceOptions } from 'typeorm';
import { reencryptSecrets, TypeOrmTwoFactorStore, type ReencryptionProgress } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import {
  currentCode,
  enroll,
  KEY_1,
  KEY_2,
  makeService,
  type EnrolledUser,
  type ServiceFixture,
} from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const ROTATED = Keyring.parse(`${KEY_2},${KEY_1}`);
const ONLY_NEW_KEY = Keyring.parse(KEY_2);

async function keyIds(database: TestDatabase): Promise<string[]> {
  const rows = await database.sql<{ key_id: string; encrypted_secret: string }>(
    `SELECT key_id, encrypted_secret FROM ${database.quote('two_factor_credentials')} ORDER BY id`,
  );
  for (const row of rows) expect(row.encrypted_secret.split('.')[1], 'envelope and key_id agree').to.equal(row.key_id);
  return rows.map((row) => row.key_id);
}

describe('reencryptSecrets', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when the current key changes from k1 to k2', function () {
      let database: TestDatabase;
      let store: TypeOrmTwoFactorStore;
      let fixture: ServiceFixture;
      let users: EnrolledUser[];

      beforeEach(async function () {
        database = await openDatabase(kind);
        store = new TypeOrmTwoFactorStore(database.dataSource);
        fixture = makeService(store);
        users = [];
        for (let i = 0; i < 7; i++) users.push(await enroll(fixture));
        // One pending enrollment too: its secret must move as well.
        const pending = await fixture.service.beginEnrollment({ userId: 'pending-user', accountName: 'p@example.com' });
        expect(pending.ok).to.equal(true);
      });

      afterEach(async function () {
        await database?.teardown();
      });

      it('S6: re-encrypts every secret in batches, reporting progress, and codes still verify with only k2', async function () {
        const reports: ReencryptionProgress[] = [];
        const result = await reencryptSecrets({
          dataSource: database.dataSource,
          keyring: ROTATED,
          batchSize: 3,
          onProgress: (p) => reports.push(p),
          clock: fixture.clock.clock,
        });
        expect(result).to.include({ total: 8, scanned: 8, reencrypted: 8, skipped: 0 });
        expect(reports.map((p) => p.scanned)).to.deep.equal([3, 6, 8]);
        expect(reports.every((p) => p.total === 8)).to.equal(true);
        expect(await keyIds(database)).to.deep.equal(Array(8).fill('k2'));
        const rotated = new TwoFactorService({
          store,
          keyring: ONLY_NEW_KEY,
          issuer: 'Acme Billing',
          verifyPassword: () => false,
          clock: fixture.clock.clock,
        });
        for (const user of users) {
          expect(
            (await rotated.verifyCode({ userId: user.userId, code: currentCode(fixture, user.secret) })).ok,
            user.userId,
          ).to.equal(true);
        }
      });

      it('is idempotent: a second run finds nothing to do', async function () {
        await reencryptSecrets({ dataSource: database.dataSource, keyring: ROTATED });
        const again = await reencryptSecrets({ dataSource: database.dataSource, keyring: ROTATED });
        expect(again).to.include({ total: 0, scanned: 0, reencrypted: 0, skipped: 0 });
      });

      it('resumes from lastId after an interruption', async function () {
        let stopAfter: string | null = null;
        const interrupted = reencryptSecrets({
          dataSource: database.dataSource,
          keyring: ROTATED,
          batchSize: 2,
          onProgress: (p) => {
            stopAfter = p.lastId;
            throw new Error('operator pressed Ctrl-C');
          },
        });
        await expect(interrupted).to.be.rejectedWith('Ctrl-C');
        expect((await keyIds(database)).filter((id) => id === 'k2')).to.have.length(2);
        const resumed = await reencryptSecrets({
          dataSource: database.dataSource,
          keyring: ROTATED,
          batchSize: 2,
          startAfterId: stopAfter!,
        });
        expect(resumed).to.include({ total: 6, reencrypted: 6, skipped: 0 });
        expect(await keyIds(database)).to.deep.equal(Array(8).fill('k2'));
      });

      it('skips a secret another writer changed between its read and its write, keeping the newer one', async function () {
        const credentials = await Promise.all(users.map((user) => store.findByUserId(user.userId)));
        const victim = credentials.reduce((a, b) => (a!.id > b!.id ? a : b))!;
        const theirs = new SecretCipher(ROTATED).reencrypt(victim.encryptedSecret, {
          userId: victim.userId,
          credentialId: victim.id,
        });
        // A second connection stands in for another process (a parallel rotation run).
        const other = new DataSource({
          ...database.dataSource.options,
          migrations: [],
          subscribers: [],
        } as DataSourceOptions);
        await other.initialize();
        let fired = false;
        database.dataSource.subscribers.push({
          async beforeQuery(event: BeforeQueryEvent) {
            // Just before the first re-encrypted secret is written, the other writer rotates the victim.
            if (fired || !/^UPDATE [^]*SET encrypted_secret = /.test(event.query)) return;
            fired = true;
            const changed = await new TypeOrmTwoFactorStore(other).updateSecret({
              credentialId: victim.id,
              expectedEncryptedSecret: victim.encryptedSecret,
              encryptedSecret: theirs,
              keyId: 'k2',
              now: fixture.clock.now(),
            });
            expect(changed).to.equal(true);
          },
        });
        try {
          const result = await reencryptSecrets({ dataSource: database.dataSource, keyring: ROTATED, batchSize: 100 });
          expect(fired).to.equal(true);
          expect(result).to.include({ total: 8, scanned: 8, reencrypted: 7, skipped: 1 });
          expect((await store.findByUserId(victim.userId))?.encryptedSecret).to.equal(theirs);
        } finally {
          await other.destroy();
        }
      });

      it('stops with KeyUnavailableError when an old key is missing from the keyring, changing nothing', async function () {
        await expect(reencryptSecrets({ dataSource: database.dataSource, keyring: ONLY_NEW_KEY })).to.be.rejectedWith(
          KeyUnavailableError,
        );
        expect(await keyIds(database)).to.deep.equal(Array(8).fill('k1'));
      });

      it('refuses a batch size outside 1–10000 before touching the database', async function () {
        await expect(
          reencryptSecrets({ dataSource: database.dataSource, keyring: ROTATED, batchSize: 0 }),
        ).to.be.rejectedWith(/batchSize/);
        expect(await keyIds(database)).to.deep.equal(Array(8).fill('k1'));
      });
    });
  });
});
