/**
 * The README's DataSource example is examples/existing-data-source.ts, verbatim; it is type-checked
 * with the tests, and here it runs on SQLite, MariaDB and PostgreSQL so it cannot rot.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chai from 'chai';
import { base32Decode, generateTotp } from '@secondfactor/core';
import { DataSource, type DataSourceOptions } from 'typeorm';
import {
  createMysqlDataSource,
  createPostgresDataSource,
  createSqliteDataSource,
  startTwoFactor,
} from '../examples/existing-data-source';
import { listTwoFactorEvents } from '@secondfactor/typeorm';
import { requireMysql, requirePostgres } from './support/databases';
import { KEY_1 } from './support/two-factor-fixture';

const { expect } = chai;

const EXAMPLE = join(__dirname, '..', 'examples', 'existing-data-source.ts');
const README = join(__dirname, '..', 'README.md');

/** Enrolls user 42 and signs in with a code, through the service the example built. */
async function enrollAndVerify(dataSource: DataSource): Promise<void> {
  const service = await startTwoFactor(dataSource, { keys: KEY_1, verifyPassword: async () => true });
  const start = await service.beginEnrollment({ userId: '42', accountName: 'ada@example.com' });
  if (!start.ok) throw start.error;
  const secret = base32Decode(start.secret)!;
  const now = Date.now();
  const confirmed = await service.confirmEnrollment({ userId: '42', code: generateTotp({ secret, timeMs: now }) });
  expect(confirmed.ok).to.equal(true);
  expect((await service.status('42')).enabled).to.equal(true);
  const events = await listTwoFactorEvents(dataSource, { userId: '42' });
  expect(events.map((e) => e.type)).to.include('enabled');
  expect(
    (await dataSource.driver.createSchemaBuilder().log()).upQueries.filter((q) => q.query.includes('two_factor')),
  ).to.deep.equal([]);
}

describe('README example', function () {
  describe('when the README is read', function () {
    it('shows examples/existing-data-source.ts verbatim', function () {
      const block = /<!-- example: examples\/existing-data-source\.ts -->\n\n?```ts\n([\s\S]*?)```/.exec(
        readFileSync(README, 'utf8'),
      );
      expect(block, 'the README marks the example block').to.not.equal(null);
      expect(block![1]).to.equal(readFileSync(EXAMPLE, 'utf8'));
    });
  });

  describe('when the example runs on SQLite', function () {
    it('migrates an existing DataSource and enables 2FA through the store', async function () {
      const dataSource = createSqliteDataSource(':memory:');
      try {
        await enrollAndVerify(dataSource);
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('when the example runs on MariaDB', function () {
    before(async function () {
      await requireMysql(this);
    });

    it('migrates an existing DataSource and enables 2FA through the store', async function () {
      const url = new URL(process.env.MYSQL_URL as string);
      const name = `sf_typeorm_${randomBytes(6).toString('hex')}`;
      const credentials = {
        host: url.hostname,
        port: Number(url.port || 3306),
        username: decodeURIComponent(url.username) || 'root',
        password: url.password ? decodeURIComponent(url.password) : undefined,
      };
      const admin = new DataSource({ type: 'mysql', ...credentials } as DataSourceOptions);
      await admin.initialize();
      await admin.query(`CREATE DATABASE \`${name}\``);
      const dataSource = createMysqlDataSource({
        DB_HOST: credentials.host,
        DB_PORT: String(credentials.port),
        DB_USER: credentials.username,
        DB_PASSWORD: credentials.password,
        DB_NAME: name,
      });
      try {
        await enrollAndVerify(dataSource);
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.destroy();
      }
    });
  });

  describe('when the example runs on PostgreSQL', function () {
    before(async function () {
      await requirePostgres(this);
    });

    it('migrates an existing DataSource and enables 2FA through the store', async function () {
      const url = new URL(process.env.POSTGRES_URL as string);
      const name = `sf_typeorm_${randomBytes(6).toString('hex')}`;
      const credentials = {
        host: url.hostname,
        port: Number(url.port || 5432),
        username: decodeURIComponent(url.username) || 'postgres',
        password: url.password ? decodeURIComponent(url.password) : undefined,
      };
      const admin = new DataSource({
        type: 'postgres',
        ...credentials,
        database: decodeURIComponent(url.pathname.slice(1)),
      } as DataSourceOptions);
      await admin.initialize();
      await admin.query(`CREATE DATABASE "${name}"`);
      const dataSource = createPostgresDataSource({
        DB_HOST: credentials.host,
        DB_PORT: String(credentials.port),
        DB_USER: credentials.username,
        DB_PASSWORD: credentials.password,
        DB_NAME: name,
      });
      try {
        await enrollAndVerify(dataSource);
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.destroy();
      }
    });
  });
});
