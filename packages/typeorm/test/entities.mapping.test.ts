import * as chai from 'chai';
import { ConfigurationError } from '@secondfactor/core';
import { DataSource, IsNull } from 'typeorm';
import {
  TWO_FACTOR_TABLE_NAMES,
  TwoFactorBackupCodeEntity,
  TwoFactorCredentialEntity,
  twoFactorEntities,
  TypeOrmTwoFactorStore,
} from '../src';
import { enroll, makeService } from './support/two-factor-fixture';
import { openDatabase } from './support/databases';

const { expect } = chai;

describe('twoFactorEntities', function () {
  describe('when registered on a DataSource', function () {
    it('maps to the documented two_factor_ tables', async function () {
      const database = await openDatabase('sqlite-memory');
      try {
        const tables = twoFactorEntities.map((entity) => database.dataSource.getMetadata(entity).tableName).sort();
        expect(tables).to.deep.equal(Object.values(TWO_FACTOR_TABLE_NAMES).sort());
        expect(tables.every((name) => name.startsWith('two_factor_'))).to.equal(true);
      } finally {
        await database.teardown();
      }
    });

    it('gives every column an explicit type and name, so tsx and tsc agree without decorator metadata', async function () {
      for (const schema of twoFactorEntities) {
        for (const [property, column] of Object.entries(schema.options.columns)) {
          // Instants are `Date`, which TypeORM maps per driver (datetime on MySQL/SQLite, timestamp on PostgreSQL).
          if (column?.type !== Date) expect(column?.type, `${schema.options.name}.${property}`).to.be.a('string');
          expect(column?.name, `${schema.options.name}.${property}`).to.match(/^[a-z_]+$/);
        }
      }
      const database = await openDatabase('sqlite-memory');
      try {
        const columns = twoFactorEntities.flatMap((entity) => database.dataSource.getMetadata(entity).columns);
        expect(columns.length).to.be.greaterThan(20);
        for (const column of columns)
          if (column.type !== Date) expect(column.type, column.propertyName).to.be.a('string');
        expect(columns.filter((column) => column.type === Date).map((column) => column.databaseName)).to.have.members([
          'pending_expires_at',
          'backoff_until',
          'locked_at',
          'created_at',
          'confirmed_at',
          'updated_at',
          'used_at',
          'created_at',
          'last_used_at',
          'expires_at',
          'created_at',
          'occurred_at',
          'deadline',
          'created_at',
          'reminded_at',
          'next_attempt_at',
          'window_started_at',
        ]);
      } finally {
        await database.teardown();
      }
    });

    it('gives repositories by entity class', async function () {
      const database = await openDatabase('sqlite-memory');
      try {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const user = await enroll(makeService(store, { backupCodeCount: 2 }));
        const credential = await database.dataSource
          .getRepository(TwoFactorCredentialEntity)
          .findOneByOrFail({ userId: user.userId });
        expect(credential).to.be.instanceOf(TwoFactorCredentialEntity);
        expect(credential).to.include({ state: 'active', failureCount: 0 });
        expect(credential.lastUsedStep).to.be.a('number');
        expect(
          await database.dataSource
            .getRepository(TwoFactorBackupCodeEntity)
            .countBy({ credentialId: credential.id, usedAt: IsNull() }),
        ).to.equal(2);
      } finally {
        await database.teardown();
      }
    });

    it('stores last_used_step as a 64-bit BIGINT (S2)', async function () {
      const database = await openDatabase('sqlite-memory');
      try {
        const column = database.dataSource
          .getMetadata(twoFactorEntities[0])
          .findColumnWithDatabaseName('last_used_step');
        expect(column?.type).to.equal('bigint');
      } finally {
        await database.teardown();
      }
    });
  });

  describe('when the DataSource lacks them', function () {
    it('the store fails with a ConfigurationError that says what to add', async function () {
      const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
      await dataSource.initialize();
      try {
        const error = await new TypeOrmTwoFactorStore(dataSource).findByUserId('42').then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(ConfigurationError);
        expect((error as Error).message).to.include('twoFactorEntities');
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('when the DataSource is of an unsupported type', function () {
    it('the store refuses at construction, not at the first request', function () {
      // Shaped like a DataSource without loading a driver that is not installed here.
      const oracle = { options: { type: 'oracle' }, createQueryRunner: () => undefined } as unknown as DataSource;
      expect(() => new TypeOrmTwoFactorStore(oracle)).to.throw(ConfigurationError, /oracle/);
      expect(() => new TypeOrmTwoFactorStore(undefined as unknown as DataSource)).to.throw(
        ConfigurationError,
        /DataSource/,
      );
    });
  });
});
