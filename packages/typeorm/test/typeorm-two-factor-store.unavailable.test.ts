import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { StoreUnavailableError } from '@secondfactor/core';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { createTypeOrmEventSink, twoFactorEntities, twoFactorMigrations, TypeOrmTwoFactorStore } from '../src';
import {
  DATABASE_LABELS,
  forEachDatabase,
  openDatabase,
  SERVER_DATABASES,
  type TestDatabase,
} from './support/databases';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { currentCode, enroll, makeService, wrongCode } from './support/two-factor-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
  const error = await expect(promise).to.be.rejectedWith(StoreUnavailableError);
  expect(error).to.include({ status: 503, code: 'TWO_FACTOR_UNAVAILABLE', expose: false });
}

/** Ends the driver's own pool under a live DataSource, as a pool torn down elsewhere would. */
async function endDriverPool(database: TestDatabase): Promise<void> {
  const driver = database.dataSource.driver as unknown as {
    pool?: { end(callback: () => void): void };
    master?: { end(): Promise<void> };
  };
  if (database.kind === 'postgres') await driver.master!.end();
  else await new Promise<void>((resolve) => driver.pool!.end(() => resolve()));
}

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(SERVER_DATABASES, (kind) => {
    describe(`when the connection to ${DATABASE_LABELS[kind]} is cut`, function () {
      let proxy: TcpProxy;
      let dataSource: DataSource;
      let database: TestDatabase;
      let teardown: () => Promise<void>;

      before(async function () {
        // A real database behind a proxy this test can cut.
        database = await openDatabase(kind);
        teardown = async () => {
          await proxy?.close();
          if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
          await database.teardown();
        };
        const url = new URL(database.url as string);
        proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
        const options = database.dataSource.options as DataSourceOptions & { database: string };
        dataSource = new DataSource({
          ...options,
          host: '127.0.0.1',
          port: proxy.port,
          poolSize: 3,
          ...(kind === 'postgres' ? { connectTimeoutMS: 2000 } : { connectTimeout: 2000 }),
        } as DataSourceOptions);
        await dataSource.initialize();
      });

      after(async function () {
        await teardown?.();
      });

      it('answers 503 TWO_FACTOR_UNAVAILABLE for reads, updates and transactions, and recovers', async function () {
        const store = new TypeOrmTwoFactorStore(dataSource);
        const fixture = makeService(store, {
          onEvent: createTypeOrmEventSink(dataSource),
          onEventError: () => undefined,
        });
        const user = await enroll(fixture);
        const credential = (await store.findByUserId(user.userId))!;
        await proxy.cut();
        await expectUnavailable(store.findByUserId(user.userId));
        await expectUnavailable(
          store.useStep({
            credentialId: credential.id,
            step: credential.lastUsedStep! + 1,
            expectedFailureCount: 0,
            now: fixture.clock.now(),
          }),
        );
        await expectUnavailable(
          store.recordFailure({
            credentialId: credential.id,
            now: fixture.clock.now(),
            decide: () => ({ backoffUntil: null, lock: false }),
          }),
        );
        await expectUnavailable(
          store.consumeBackupCode({
            credentialId: credential.id,
            hash: 'x',
            expectedFailureCount: 0,
            now: fixture.clock.now(),
          }),
        );
        await expectUnavailable(
          fixture.service.verifyCode({ userId: user.userId, code: currentCode(fixture, user.secret) }),
        );
        await expectUnavailable(
          Promise.resolve(
            createTypeOrmEventSink(dataSource)({ type: 'code.failed', userId: user.userId, at: fixture.clock.now() }),
          ),
        );
        await proxy.restore();
        const outcome = await fixture.service.verifyCode({
          userId: user.userId,
          code: currentCode(fixture, user.secret),
        });
        expect(outcome.ok).to.equal(true);
      });

      it('keeps batched audit events through the outage and writes them once it ends', async function () {
        const errors: Array<{ events: number; dropped: boolean }> = [];
        const sink = createTypeOrmEventSink(dataSource, {
          batched: ['code.verified'],
          batchDelayMs: 60_000,
          onBatchError: (_error, detail) => void errors.push(detail),
        });
        const userId = `u-outage-${Date.now()}`;
        await sink({ type: 'code.verified', userId, at: new Date() });
        await sink({ type: 'code.verified', userId, at: new Date() });
        await proxy.cut();
        await expectUnavailable(sink.flush());
        expect(sink.pending).to.equal(2);
        expect(errors).to.deep.include({ events: 2, dropped: false });
        await proxy.restore();
        await sink.flush();
        expect(sink.pending).to.equal(0);
        const rows = await database.sql(
          `SELECT type FROM ${database.quote('two_factor_audit_events')} WHERE user_id = ?`,
          [userId],
        );
        expect(rows).to.have.length(2);
        await sink.close();
      });

      it(`answers 503 when the ${kind === 'postgres' ? 'pg' : 'mysql2'} pool was closed under a live DataSource`, async function () {
        const database = await openDatabase(kind);
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        await endDriverPool(database);
        try {
          await expectUnavailable(store.findByUserId('42'));
          await expectUnavailable(
            store.recordFailure({
              credentialId: 'c1',
              now: new Date(),
              decide: () => ({ backoffUntil: null, lock: false }),
            }),
          );
        } finally {
          await database.teardown();
        }
      });

      it('answers 503 when the pool was closed (DataSource destroyed)', async function () {
        const database = await openDatabase(kind);
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        await database.dataSource.destroy();
        try {
          await expectUnavailable(store.findByUserId('42'));
          await expectUnavailable(store.deleteByUserId('42'));
        } finally {
          await database.teardown();
        }
      });
    });
  });

  describe('on SQLite (better-sqlite3)', function () {
    describe('when another process holds the write lock', function () {
      it('answers 503 TWO_FACTOR_UNAVAILABLE instead of a driver error, and changes nothing', async function () {
        const dir = mkdtempSync(join(tmpdir(), 'sf-typeorm-busy-'));
        const file = join(dir, 'busy.sqlite');
        const dataSource = new DataSource({
          type: 'better-sqlite3',
          database: file,
          timeout: 50,
          entities: [...twoFactorEntities],
          migrations: [...twoFactorMigrations],
        });
        // A second connection to the same file stands in for another process.
        const other = new DataSource({ type: 'better-sqlite3', database: file });
        const otherRunner = other.createQueryRunner();
        try {
          await dataSource.initialize();
          await dataSource.runMigrations();
          await other.initialize();
          const store = new TypeOrmTwoFactorStore(dataSource);
          const fixture = makeService(store);
          const user = await enroll(fixture);
          await otherRunner.query('BEGIN EXCLUSIVE');
          const outcome = fixture.service.verifyCode({ userId: user.userId, code: wrongCode(fixture, user.secret) });
          await expectUnavailable(outcome);
          await otherRunner.query('ROLLBACK');
          expect((await store.findByUserId(user.userId))?.failureCount).to.equal(0);
        } finally {
          await otherRunner.release();
          if (other.isInitialized) await other.destroy();
          if (dataSource.isInitialized) await dataSource.destroy();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });

    describe('when the DataSource was destroyed', function () {
      it('answers 503 TWO_FACTOR_UNAVAILABLE', async function () {
        const database = await openDatabase('sqlite-memory');
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        await database.teardown();
        await expectUnavailable(store.findByUserId('42'));
        await expectUnavailable(
          store.savePending({
            id: 'c1',
            userId: '42',
            encryptedSecret: 'sf1.k1.a.b.c',
            keyId: 'k1',
            pendingExpiresAt: new Date(),
            now: new Date(),
          }),
        );
      });
    });
  });
});
