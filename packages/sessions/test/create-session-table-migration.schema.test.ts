/**
 * The migration creates exactly what the entity describes on every driver (the schema builder
 * finds nothing left to change), honours `entityPrefix`, undoes itself, and gets along with
 * `synchronize: true`, the other way to get the table.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import {
  CreateSessionTable1767225600000,
  SESSION_TABLE,
  sessionEntities,
  sessionMigrations,
  TypeOrmSessionStore,
} from '../src/typeorm';
import { createScratchDatabase, forEachSqlKind, SQL_KINDS, type ScratchDatabase } from './support/databases';
import { newSessionId, signedIn } from './support/session-store-conformance';

chai.use(chaiAsPromised);
const { expect } = chai;

/** What the schema builder would still change for the session table. */
async function pendingChanges(dataSource: DataSource, table = SESSION_TABLE.name): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query).filter((sql) => sql.includes(table));
}

describe('CreateSessionTable1767225600000', function () {
  forEachSqlKind(SQL_KINDS, (kind) => {
    let database: ScratchDatabase;
    let dataSource: DataSource;

    beforeEach(async function () {
      database = await createScratchDatabase(kind);
    });

    afterEach(async function () {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await database.drop();
    });

    function open(extra: Partial<DataSourceOptions>): Promise<DataSource> {
      dataSource = new DataSource({
        ...database.options,
        entities: [...sessionEntities],
        ...extra,
      } as DataSourceOptions);
      return dataSource.initialize();
    }

    describe('when the migration runs', function () {
      it('creates the table and its indexes exactly as the entity describes them', async function () {
        await open({ migrations: [...sessionMigrations] });
        expect(await dataSource.runMigrations()).to.have.length(1);
        expect(await pendingChanges(dataSource)).to.deep.equal([]);
        const table = await dataSource.createQueryRunner().getTable(SESSION_TABLE.name);
        expect(table?.indices.map((index) => index.name).sort()).to.deep.equal([
          SESSION_TABLE.expiryIndex,
          SESSION_TABLE.userIndex,
        ]);
      });

      it('honours entityPrefix', async function () {
        await open({ migrations: [...sessionMigrations], entityPrefix: 'billing_' });
        await dataSource.runMigrations();
        expect(await dataSource.createQueryRunner().hasTable(`billing_${SESSION_TABLE.name}`)).to.equal(true);
        expect(await pendingChanges(dataSource)).to.deep.equal([]);
        const store = new TypeOrmSessionStore(dataSource);
        const id = newSessionId();
        await store.set(id, signedIn('42'), { ttlMs: 60_000 });
        expect((await store.get(id))?.userId).to.equal('42');
      });

      it('drops the table when reverted', async function () {
        await open({ migrations: [...sessionMigrations] });
        await dataSource.runMigrations();
        await dataSource.undoLastMigration();
        expect(await dataSource.createQueryRunner().hasTable(SESSION_TABLE.name)).to.equal(false);
      });
    });

    describe('when the DataSource synchronises instead', function () {
      it('creates a working table from the entities alone, and a later migration leaves it be', async function () {
        await open({ synchronize: true, migrations: [...sessionMigrations] });
        expect(await pendingChanges(dataSource)).to.deep.equal([]);
        const store = new TypeOrmSessionStore(dataSource);
        const id = newSessionId();
        await store.set(id, signedIn('Bob'), { ttlMs: 60_000 });
        // A synchronised MariaDB table has the database's case-insensitive collation.
        expect(await store.revokeAllSessions('bob')).to.equal(0);
        expect(await store.listSessions('bob')).to.deep.equal([]);
        expect(await store.listSessions('Bob')).to.have.length(1);
        // The host moves to migrations later: the migration finds the table and leaves it be.
        expect(await dataSource.runMigrations()).to.have.length(1);
        expect((await store.get(id))?.userId).to.equal('Bob');
        expect(await pendingChanges(dataSource)).to.deep.equal([]);
      });
    });
  });

  describe('when the DataSource is of another driver', function () {
    it('refuses it with a message that names the supported ones', async function () {
      const runner = {
        connection: { options: { type: 'oracle' } },
        hasTable: async () => false,
      } as unknown as QueryRunner;
      await expect(new CreateSessionTable1767225600000().up(runner)).to.be.rejectedWith(
        TypeError,
        /mysql, mariadb, better-sqlite3, sqlite and postgres DataSources, not "oracle"/,
      );
    });
  });
});
