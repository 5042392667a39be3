/**
 * Hosts that build their schema with `synchronize: true` instead of migrations: the entities alone
 * give a working store, and adding the migrations later records them without touching the tables.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import type { DataSource } from 'typeorm';
import { createTypeOrmEventSink, listTwoFactorEvents, TWO_FACTOR_TABLE_NAMES, TypeOrmTwoFactorStore } from '../src';
import { AUDIT_RETENTION_INDEX } from '../src/add-two-factor-audit-retention-index-migration';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { currentCode, enroll, makeService } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const MIGRATION_NAMES = [
  'CreateTwoFactorTables1764288000000',
  'AddTwoFactorAuditRetentionIndex1795910400000',
  'CreateTwoFactorTrustedDevices1796515200000',
  'CreateTwoFactorEnrollmentDeadlines1796601600000',
  'CreateTwoFactorPasswordThrottles1796688000000',
];

async function schemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
}

describe('TypeORM synchronize instead of migrations', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    let database: TestDatabase;

    beforeEach(async function () {
      database = await openDatabase(kind, { migrate: false, extra: { synchronize: true } });
    });

    afterEach(async function () {
      await database?.teardown();
    });

    describe('when the DataSource has only twoFactorEntities and synchronize: true', function () {
      it('S12, S19: enrolls, verifies a code once, uses the backup code and audits, end to end', async function () {
        for (const table of Object.values(TWO_FACTOR_TABLE_NAMES))
          expect(await database.dataSource.createQueryRunner().hasTable(table), table).to.equal(true);
        const audit = createTypeOrmEventSink(database.dataSource);
        const fixture = makeService(new TypeOrmTwoFactorStore(database.dataSource), { audit });
        const user = await enroll(fixture);
        const code = currentCode(fixture, user.secret);
        expect((await fixture.service.verifyCode({ userId: user.userId, code })).ok).to.equal(true);
        expect((await fixture.service.verifyCode({ userId: user.userId, code })).ok, 'a replay').to.equal(false);
        const backup = await fixture.service.useBackupCode({ userId: user.userId, backupCode: user.backupCodes[0] });
        expect(backup.ok && backup.backupCodes).to.have.length(1);
        const events = await listTwoFactorEvents(database.dataSource, { userId: user.userId });
        expect(events.map((event) => event.type)).to.include.members(['enabled', 'code.verified', 'code.replayed']);
        await audit.close();
      });
    });

    describe('when the migrations are added to a synchronised database later', function () {
      it('records every migration without touching the tables, and keeps the data', async function () {
        const fixture = makeService(new TypeOrmTwoFactorStore(database.dataSource));
        const user = await enroll(fixture);
        const ran = await database.dataSource.runMigrations();
        expect(ran.map((migration) => migration.name)).to.deep.equal(MIGRATION_NAMES);
        expect(await database.dataSource.showMigrations()).to.equal(false);
        expect(await schemaChanges(database.dataSource)).to.deep.equal([]);
        const table = await database.dataSource.createQueryRunner().getTable(TWO_FACTOR_TABLE_NAMES.auditEvents);
        expect(table?.indices.map((index) => index.name)).to.include(AUDIT_RETENTION_INDEX);
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        expect((await store.findByUserId(user.userId))?.state).to.equal('active');
      });

      it('refuses a database where only some two-factor tables exist, naming them', async function () {
        await database.sql(`DROP TABLE ${database.quote(TWO_FACTOR_TABLE_NAMES.auditEvents)}`);
        await expect(database.dataSource.runMigrations()).to.be.rejectedWith(/Only some two-factor tables exist/);
      });
    });
  });
});
