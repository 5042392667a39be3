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

    it('S32: keeps the password throttle in the package table only: login_throttles is gone', async () => {
      const tables = await tableNames(dataSource);
      expect(tables).to.include('two_factor_password_throttles');
      expect(tables).not.to.include('login_throttles');
      const pending = await dataSource.driver.createSchemaBuilder().log();
      const queries = pending.upQueries.map((query) => query.query);
      expect(queries.filter((query) => /throttles/.test(query))).to.deep.equal([]);
    });

    it('leaves nothing for the schema builder to change about sessions', async () => {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      const queries = pending.upQueries.map((query) => query.query);
      expect(queries.filter((query) => /sessions/.test(query))).to.deep.equal([]);
    });
  });

  describe('when the account-protection migration ran', () => {
    it('S31: adds the stamp column', async () => {
      const dataSource = new DataSource({
        type: 'better-sqlite3',
        database: ':memory:',
        migrations: siteMigrations,
        entities: [...siteEntities],
      });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations();
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

  describe('when a database with the site’s own login_throttles is upgraded', () => {
    it('S32: drops the table with its counts, which the package table replaces', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'billing-upgrade-'));
      const dataSource = new DataSource({
        type: 'better-sqlite3',
        database: join(dir, 'billing.sqlite'),
        migrations: siteMigrations.slice(0, -1),
      });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations();
        await dataSource.query(
          `INSERT INTO login_throttles (throttle_key, failures, next_attempt_at) VALUES ('acct:x', 7, 1)`,
        );
        const upgraded = new DataSource({ ...dataSource.options, migrations: siteMigrations });
        await upgraded.initialize();
        try {
          expect((await upgraded.runMigrations()).map((migration) => migration.name)).to.deep.equal([
            'DropLoginThrottles1784000000000',
          ]);
          expect(await tableNames(upgraded)).not.to.include('login_throttles');
        } finally {
          await upgraded.destroy();
        }
      } finally {
        await dataSource.destroy();
        rmSync(dir, { recursive: true, force: true });
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
        await dataSource.undoLastMigration(); // the login_throttles drop (S32)
        expect(await tableNames(dataSource)).to.include('login_throttles');
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
