import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chai from 'chai';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { siteEntities, siteMigrations } from '../src/db/schema';

const { expect } = chai;

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  )) as Array<{ name: string }>;
  return rows.map((row) => row.name);
}

describe('the sites’ migrations', () => {
  describe('when a fresh database is migrated', () => {
    let dir: string;
    let dataSource: DataSource;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'billing-migrations-'));
      dataSource = createDataSource({ type: 'sqlite', file: join(dir, 'billing.sqlite') });
      await dataSource.initialize();
      await dataSource.runMigrations();
    });
    after(async () => {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps sessions in the @secondfactor/sessions table only: the old sessions table is gone', async () => {
      const tables = await tableNames(dataSource);
      expect(tables).to.include.members(['users', 'two_factor_credentials', 'secondfactor_sessions']);
      expect(tables).not.to.include('sessions');
    });

    it('leaves nothing for the schema builder to change about sessions', async () => {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      const queries = pending.upQueries.map((query) => query.query);
      expect(queries.filter((query) => /sessions/.test(query))).to.deep.equal([]);
    });
  });

  describe('when the account-protection migration ran', () => {
    it('S31, S32: leaves nothing for the schema builder to change about login_throttles, and adds the stamp column', async () => {
      const dataSource = new DataSource({
        type: 'better-sqlite3',
        database: ':memory:',
        migrations: siteMigrations,
        entities: [...siteEntities],
      });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations();
        const pending = await dataSource.driver.createSchemaBuilder().log();
        const queries = pending.upQueries.map((query) => query.query);
        expect(queries.filter((query) => /login_throttles/.test(query))).to.deep.equal([]);
        const users = await dataSource.createQueryRunner().getTable('users');
        expect(users?.findColumnByName('security_stamp')).to.include({
          type: 'varchar',
          length: '64',
          isNullable: true,
        });
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('when the site-session drop is reverted', () => {
    it('gives the old sessions table back, then drops it again', async () => {
      const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: siteMigrations });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations();
        expect(await tableNames(dataSource)).not.to.include('sessions');
        await dataSource.undoLastMigration(); // the payment-methods migration (S35)
        expect(await tableNames(dataSource)).not.to.include('payment_methods');
        await dataSource.undoLastMigration(); // the account-protection migration
        expect(await tableNames(dataSource)).not.to.include('login_throttles');
        await dataSource.undoLastMigration();
        expect(await tableNames(dataSource)).to.include('sessions');
        await dataSource.runMigrations();
        expect(await tableNames(dataSource)).not.to.include('sessions');
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
