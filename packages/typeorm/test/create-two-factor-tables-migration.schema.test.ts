import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import {
  AddTwoFactorAuditRetentionIndex1795910400000,
  CreateTwoFactorEnrollmentDeadlines1796601600000,
  CreateTwoFactorPasswordThrottles1796688000000,
  CreateTwoFactorTables1764288000000,
  CreateTwoFactorTrustedDevices1796515200000,
  TWO_FACTOR_TABLE_NAMES,
  twoFactorMigrations,
  TypeOrmTwoFactorStore,
} from '../src';
import { ALL_DATABASES, EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { enroll, makeService } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const MIGRATION_NAMES = [
  'CreateTwoFactorTables1764288000000',
  'AddTwoFactorAuditRetentionIndex1795910400000',
  'CreateTwoFactorTrustedDevices1796515200000',
  'CreateTwoFactorEnrollmentDeadlines1796601600000',
  'CreateTwoFactorPasswordThrottles1796688000000',
];

async function tableNames(database: TestDatabase): Promise<string[]> {
  const sql = {
    mariadb: 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    postgres: 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'table'",
  }[database.kind === 'mariadb' || database.kind === 'postgres' ? database.kind : 'sqlite'];
  const rows = await database.sql<{ name: string }>(sql);
  return rows
    .map((row) => row.name)
    .filter((name) => name.includes('two_factor'))
    .sort();
}

async function schemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
}

describe('The migrations (CreateTwoFactorTables, AddTwoFactorAuditRetentionIndex, CreateTwoFactorTrustedDevices, CreateTwoFactorEnrollmentDeadlines, CreateTwoFactorPasswordThrottles)', function () {
  forEachDatabase(ALL_DATABASES, (kind) => {
    describe('when run on an empty database', function () {
      let database: TestDatabase;

      beforeEach(async function () {
        database = await openDatabase(kind, { migrate: false });
      });

      afterEach(async function () {
        await database?.teardown();
      });

      it('creates the six two_factor_ tables', async function () {
        expect(await tableNames(database)).to.deep.equal([]);
        const ran = await database.dataSource.runMigrations();
        expect(ran.map((m) => m.name)).to.deep.equal(MIGRATION_NAMES);
        expect(await tableNames(database)).to.deep.equal(Object.values(TWO_FACTOR_TABLE_NAMES).sort());
      });

      it("leaves nothing for TypeORM's schema builder to change (no synchronize needed)", async function () {
        await database.dataSource.runMigrations();
        expect(await schemaChanges(database.dataSource)).to.deep.equal([]);
      });

      it('is recorded once: a second run has nothing to do', async function () {
        await database.dataSource.runMigrations();
        expect(await database.dataSource.runMigrations()).to.deep.equal([]);
        expect(await database.dataSource.showMigrations()).to.equal(false);
      });

      it('rolls back cleanly: down drops the password throttles, the deadlines, the trusted devices, then the index, then every table', async function () {
        await database.dataSource.runMigrations();
        await database.dataSource.undoLastMigration();
        expect(await tableNames(database)).to.not.include(TWO_FACTOR_TABLE_NAMES.passwordThrottles);
        await database.dataSource.undoLastMigration();
        expect(await tableNames(database)).to.not.include(TWO_FACTOR_TABLE_NAMES.enrollmentDeadlines);
        await database.dataSource.undoLastMigration();
        expect(await tableNames(database)).to.not.include(TWO_FACTOR_TABLE_NAMES.trustedDevices);
        await database.dataSource.undoLastMigration();
        const missing = await schemaChanges(database.dataSource);
        const later = [
          TWO_FACTOR_TABLE_NAMES.trustedDevices,
          TWO_FACTOR_TABLE_NAMES.enrollmentDeadlines,
          TWO_FACTOR_TABLE_NAMES.passwordThrottles,
        ];
        expect(missing.filter((sql) => !later.some((table) => sql.includes(table)))).to.have.length(1);
        expect(missing.join('\n')).to.include('IDX_two_factor_audit_events_occurred_at');
        await database.dataSource.undoLastMigration();
        expect(await tableNames(database)).to.deep.equal([]);
      });

      it('deleting a credential cascades to its backup codes', async function () {
        await database.dataSource.runMigrations();
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const user = await enroll(makeService(store, { backupCodeCount: 3 }));
        const count = async () =>
          Number(
            (
              await database.sql<{ n: number | string }>(
                `SELECT COUNT(*) AS n FROM ${database.quote('two_factor_backup_codes')}`,
              )
            )[0].n,
          );
        expect(await count()).to.equal(3);
        // A plain DELETE, as a host's own admin tooling might issue: the schema, not the store, cascades.
        await database.sql(`DELETE FROM ${database.quote('two_factor_credentials')} WHERE user_id = ?`, [user.userId]);
        expect(await count()).to.equal(0);
      });

      it('S34: deleting a credential cascades to its trusted devices', async function () {
        await database.dataSource.runMigrations();
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store);
        const user = await enroll(fixture);
        expect((await fixture.service.trustDevice({ userId: user.userId, label: 'Firefox on Linux' })).ok).to.equal(
          true,
        );
        const table = database.quote(TWO_FACTOR_TABLE_NAMES.trustedDevices);
        const count = async () =>
          Number((await database.sql<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
        expect(await count()).to.equal(1);
        await database.sql(`DELETE FROM ${database.quote('two_factor_credentials')} WHERE user_id = ?`, [user.userId]);
        expect(await count()).to.equal(0);
      });
    });
  });

  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when a database installed before the retention index is upgraded', function () {
      it('S37: runs only the new migration, keeps the data and leaves a clean schema', async function () {
        const database = await openDatabase(kind, { migrate: false });
        try {
          const installed = new DataSource({
            ...database.dataSource.options,
            migrations: [CreateTwoFactorTables1764288000000],
          } as DataSourceOptions);
          await installed.initialize();
          try {
            await installed.runMigrations();
            const user = await enroll(makeService(new TypeOrmTwoFactorStore(installed)));
            expect((await schemaChanges(installed)).join('\n')).to.include('IDX_two_factor_audit_events_occurred_at');
            const ran = await database.dataSource.runMigrations();
            expect(ran.map((m) => m.name)).to.deep.equal(MIGRATION_NAMES.slice(1));
            expect(await schemaChanges(database.dataSource)).to.deep.equal([]);
            const store = new TypeOrmTwoFactorStore(database.dataSource);
            expect((await store.findByUserId(user.userId))?.state).to.equal('active');
          } finally {
            await installed.destroy();
          }
        } finally {
          await database.teardown();
        }
      });
    });
  });

  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when a database installed before trusted devices is upgraded', function () {
      it('S34, S36, S32: runs only the trusted devices, deadlines and password throttle migrations, keeps the data and leaves a clean schema', async function () {
        const database = await openDatabase(kind, { migrate: false });
        try {
          const installed = new DataSource({
            ...database.dataSource.options,
            migrations: [CreateTwoFactorTables1764288000000, AddTwoFactorAuditRetentionIndex1795910400000],
          } as DataSourceOptions);
          await installed.initialize();
          try {
            await installed.runMigrations();
            const user = await enroll(makeService(new TypeOrmTwoFactorStore(installed)));
            const ran = await database.dataSource.runMigrations();
            expect(ran.map((m) => m.name)).to.deep.equal(MIGRATION_NAMES.slice(2));
            expect(await schemaChanges(database.dataSource)).to.deep.equal([]);
            const store = new TypeOrmTwoFactorStore(database.dataSource);
            expect((await store.findByUserId(user.userId))?.state).to.equal('active');
          } finally {
            await installed.destroy();
          }
        } finally {
          await database.teardown();
        }
      });
    });
  });

  describe('when the DataSource uses an entityPrefix', function () {
    it('creates prefixed tables that match the prefixed entities', async function () {
      const database = await openDatabase('sqlite-memory', { migrate: false, extra: { entityPrefix: 'acme_' } });
      try {
        await database.dataSource.runMigrations();
        expect(await schemaChanges(database.dataSource)).to.deep.equal([]);
        const rows = await database.sql<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'acme_two_factor_%' ORDER BY name",
        );
        expect(rows.map((r) => r.name)).to.deep.equal([
          'acme_two_factor_audit_events',
          'acme_two_factor_backup_codes',
          'acme_two_factor_credentials',
          'acme_two_factor_enrollment_deadlines',
          'acme_two_factor_password_throttles',
          'acme_two_factor_trusted_devices',
        ]);
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const user = await enroll(makeService(store));
        expect((await store.findByUserId(user.userId))?.state).to.equal('active');
      } finally {
        await database.teardown();
      }
    });
  });

  forEachDatabase(['postgres'], () => {
    describe('when the DataSource names a PostgreSQL schema', function () {
      it('creates the tables in that schema, where the entities and the store look for them', async function () {
        const database = await openDatabase('postgres', { migrate: false });
        try {
          await database.sql('CREATE SCHEMA billing');
          const inSchema = new DataSource({ ...database.dataSource.options, schema: 'billing' } as DataSourceOptions);
          await inSchema.initialize();
          try {
            await inSchema.runMigrations();
            expect(await schemaChanges(inSchema)).to.deep.equal([]);
            const rows = await database.sql<{ name: string }>(
              `SELECT table_name AS name FROM information_schema.tables
               WHERE table_schema = 'billing' AND table_name LIKE 'two_factor%' ORDER BY 1`,
            );
            expect(rows.map((r) => r.name)).to.deep.equal([
              'two_factor_audit_events',
              'two_factor_backup_codes',
              'two_factor_credentials',
              'two_factor_enrollment_deadlines',
              'two_factor_password_throttles',
              'two_factor_trusted_devices',
            ]);
            const store = new TypeOrmTwoFactorStore(inSchema);
            const user = await enroll(makeService(store));
            expect((await store.findByUserId(user.userId))?.state).to.equal('active');
            for (const _migration of twoFactorMigrations) await inSchema.undoLastMigration();
            expect(
              await database.sql(
                "SELECT 1 FROM pg_tables WHERE schemaname = 'billing' AND tablename LIKE 'two_factor%'",
              ),
            ).to.deep.equal([]);
          } finally {
            await inSchema.destroy();
          }
        } finally {
          await database.teardown();
        }
      });
    });
  });

  describe('when the database is none of MySQL/MariaDB, SQLite and PostgreSQL', function () {
    it('refuses with a configuration error naming the driver', async function () {
      const queryRunner = {
        connection: { options: { type: 'oracle' } },
        query: async () => undefined,
      } as unknown as QueryRunner;
      await expect(new CreateTwoFactorTables1764288000000().up(queryRunner)).to.be.rejectedWith(/oracle/);
      await expect(new AddTwoFactorAuditRetentionIndex1795910400000().up(queryRunner)).to.be.rejectedWith(/oracle/);
      await expect(new CreateTwoFactorPasswordThrottles1796688000000().up(queryRunner)).to.be.rejectedWith(/oracle/);
    });
  });

  describe('twoFactorMigrations', function () {
    it('lists the migration classes, oldest first, each with a stable name', function () {
      expect(twoFactorMigrations).to.deep.equal([
        CreateTwoFactorTables1764288000000,
        AddTwoFactorAuditRetentionIndex1795910400000,
        CreateTwoFactorTrustedDevices1796515200000,
        CreateTwoFactorEnrollmentDeadlines1796601600000,
        CreateTwoFactorPasswordThrottles1796688000000,
      ]);
      expect(twoFactorMigrations.map((Migration) => new Migration().name)).to.deep.equal(MIGRATION_NAMES);
    });
  });
});
