import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import type { QueryRunner } from 'typeorm';
import {
  CreateTwoFactorTables1764288000000,
  TWO_FACTOR_TABLE_NAMES,
  twoFactorMigrations,
  TypeOrmTwoFactorStore,
} from '../src';
import { ALL_DATABASES, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { enrol, makeService } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

async function tableNames(database: TestDatabase): Promise<string[]> {
  const sql =
    database.kind === 'mariadb'
      ? 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'
      : "SELECT name FROM sqlite_master WHERE type = 'table'";
  const rows = (await database.dataSource.query(sql)) as { name: string }[];
  return rows
    .map((row) => row.name)
    .filter((name) => name.includes('two_factor'))
    .sort();
}

describe('CreateTwoFactorTables1764288000000', function () {
  forEachDatabase(ALL_DATABASES, (kind) => {
    describe('when run on an empty database', function () {
      let database: TestDatabase;

      beforeEach(async function () {
        database = await openDatabase(kind, { migrate: false });
      });

      afterEach(async function () {
        await database?.teardown();
      });

      it('creates the three two_factor_ tables', async function () {
        expect(await tableNames(database)).to.deep.equal([]);
        const ran = await database.dataSource.runMigrations();
        expect(ran.map((m) => m.name)).to.deep.equal(['CreateTwoFactorTables1764288000000']);
        expect(await tableNames(database)).to.deep.equal(Object.values(TWO_FACTOR_TABLE_NAMES).sort());
      });

      it("leaves nothing for TypeORM's schema builder to change (no synchronize needed)", async function () {
        await database.dataSource.runMigrations();
        const pending = await database.dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).to.deep.equal([]);
      });

      it('is recorded once: a second run has nothing to do', async function () {
        await database.dataSource.runMigrations();
        expect(await database.dataSource.runMigrations()).to.deep.equal([]);
        expect(await database.dataSource.showMigrations()).to.equal(false);
      });

      it('rolls back cleanly: down drops every table it created', async function () {
        await database.dataSource.runMigrations();
        await database.dataSource.undoLastMigration();
        expect(await tableNames(database)).to.deep.equal([]);
      });

      it('deleting a credential cascades to its backup codes', async function () {
        await database.dataSource.runMigrations();
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const user = await enrol(makeService(store, { backupCodeCount: 3 }));
        const codes = `${database.kind === 'mariadb' ? '`two_factor_backup_codes`' : '"two_factor_backup_codes"'}`;
        const credentials = `${database.kind === 'mariadb' ? '`two_factor_credentials`' : '"two_factor_credentials"'}`;
        const count = async () =>
          Number(
            ((await database.dataSource.query(`SELECT COUNT(*) AS n FROM ${codes}`)) as { n: number | string }[])[0].n,
          );
        expect(await count()).to.equal(3);
        // A plain DELETE, as a host's own admin tooling might issue: the schema, not the store, cascades.
        await database.dataSource.query(`DELETE FROM ${credentials} WHERE user_id = ?`, [user.userId]);
        expect(await count()).to.equal(0);
      });
    });
  });

  describe('when the DataSource uses an entityPrefix', function () {
    it('creates prefixed tables that match the prefixed entities', async function () {
      const database = await openDatabase('sqlite-memory', { migrate: false, extra: { entityPrefix: 'acme_' } });
      try {
        await database.dataSource.runMigrations();
        expect((await database.dataSource.driver.createSchemaBuilder().log()).upQueries).to.deep.equal([]);
        const rows = (await database.dataSource.query(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'acme_two_factor_%' ORDER BY name",
        )) as { name: string }[];
        expect(rows.map((r) => r.name)).to.deep.equal([
          'acme_two_factor_audit_events',
          'acme_two_factor_backup_codes',
          'acme_two_factor_credentials',
        ]);
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const user = await enrol(makeService(store));
        expect((await store.findByUserId(user.userId))?.state).to.equal('active');
      } finally {
        await database.teardown();
      }
    });
  });

  describe('when the database is neither MySQL/MariaDB nor SQLite', function () {
    it('refuses with a configuration error naming the driver', async function () {
      const queryRunner = {
        connection: { options: { type: 'postgres' } },
        query: async () => undefined,
      } as unknown as QueryRunner;
      await expect(new CreateTwoFactorTables1764288000000().up(queryRunner)).to.be.rejectedWith(/postgres/);
    });
  });

  describe('twoFactorMigrations', function () {
    it('lists the migration classes, oldest first, each with a stable name', function () {
      expect(twoFactorMigrations).to.deep.equal([CreateTwoFactorTables1764288000000]);
      expect(new twoFactorMigrations[0]().name).to.equal('CreateTwoFactorTables1764288000000');
    });
  });
});
