/**
 * Scratch backends for the store tests: SQLite in memory, MariaDB and PostgreSQL in a database of
 * their own (`sf_sessions_<random>`, dropped afterwards), and Redis under a key prefix of its own
 * (deleted afterwards), so parallel runs never meet. Each test gets an empty store and a fake clock.
 */
import { randomBytes } from 'node:crypto';
import { FakeClock } from '@secondfactor/test-utils';
import { Redis } from 'ioredis';
import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import type { SessionStore, SessionStoreOptions } from '../../src';
import { RedisSessionStore } from '../../src/redis';
import { sessionEntities, sessionMigrations, TypeOrmSessionStore } from '../../src/typeorm';
import { createScratchDatabase, type SqlKind } from './databases';
import { requireServer, serverUrl } from './servers';

/** Which backend a test runs on. */
export type BackendKind = 'sqlite' | 'mariadb' | 'postgres' | 'redis';

/** Every backend, in the order the suites run. */
export const ALL_BACKENDS: readonly BackendKind[] = ['sqlite', 'mariadb', 'postgres', 'redis'];
/** The TypeORM backends. */
export const SQL_BACKENDS: readonly BackendKind[] = ['sqlite', 'mariadb', 'postgres'];

/** Labels for describe titles. */
export const BACKEND_LABELS: Record<BackendKind, string> = {
  sqlite: 'SQLite (better-sqlite3)',
  mariadb: 'MariaDB (mysql2)',
  postgres: 'PostgreSQL (pg)',
  redis: 'Redis (ioredis)',
};

/** A store on an empty backend. */
export interface OpenStore {
  kind: BackendKind;
  store: SessionStore;
  clock: FakeClock;
  /** Everything the backend holds for this store, as text (to prove what is and is not at rest). */
  dump(): Promise<string>;
  /** The DataSource of a TypeORM backend. */
  dataSource?: DataSource;
  /** The Redis client and key prefix of the Redis backend. */
  redis?: { client: Redis; prefix: string };
}

/** A backend shared by one describe block. */
export interface BackendHarness {
  kind: BackendKind;
  /** An empty store with a fresh fake clock; `options.clock` defaults to it. */
  open(options?: SessionStoreOptions): Promise<OpenStore>;
  /** A second DataSource or client on the same backend (a second app instance). */
  openSecondInstance(options?: SessionStoreOptions & { clock?: () => Date }): Promise<SessionStore>;
}

/** Options for {@link forEachBackend}. */
export interface BackendOptions {
  /** A TypeORM logger, e.g. a statement counter. */
  logger?: Logger;
}

interface Scratch {
  harness: BackendHarness;
  teardown(): Promise<void>;
}

const TABLE = 'secondfactor_sessions';

async function scratchSql(kind: SqlKind, options: BackendOptions): Promise<Scratch> {
  const database = await createScratchDatabase(kind);
  const makeDataSource = () =>
    new DataSource({
      ...database.options,
      entities: [...sessionEntities],
      migrations: [...sessionMigrations],
      logger: options.logger,
      logging: options.logger ? ['query', 'error'] : false,
    } as DataSourceOptions);
  const dataSource = makeDataSource();
  const extra: DataSource[] = [];
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    harness: {
      kind,
      async open(storeOptions = {}) {
        await dataSource.query(`DELETE FROM ${dataSource.driver.escape(TABLE)}`);
        const clock = new FakeClock();
        const store = new TypeOrmSessionStore(dataSource, { pruneIntervalMs: 0, clock: clock.clock, ...storeOptions });
        return {
          kind,
          store,
          clock,
          dataSource,
          dump: async () => JSON.stringify(await dataSource.query(`SELECT * FROM ${dataSource.driver.escape(TABLE)}`)),
        };
      },
      async openSecondInstance(storeOptions = {}) {
        if (kind === 'sqlite') throw new Error('An in-memory SQLite database has one connection only.');
        const second = makeDataSource();
        await second.initialize();
        extra.push(second);
        return new TypeOrmSessionStore(second, { pruneIntervalMs: 0, ...storeOptions });
      },
    },
    async teardown() {
      for (const source of [dataSource, ...extra]) if (source.isInitialized) await source.destroy();
      await database.drop();
    },
  };
}

async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return [...new Set(keys)];
}

async function scratchRedis(): Promise<Scratch> {
  const clients: Redis[] = [];
  const prefixes: string[] = [];
  const connect = () => {
    const client = new Redis(serverUrl('redis') as string, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return client;
  };
  const client = connect();
  let prefix = '';
  return {
    harness: {
      kind: 'redis',
      async open(storeOptions = {}) {
        prefix = `sf-test:${randomBytes(6).toString('hex')}:`;
        prefixes.push(prefix);
        const clock = new FakeClock();
        const store = new RedisSessionStore(client, {
          prefix,
          pruneIntervalMs: 0,
          clock: clock.clock,
          ...storeOptions,
        });
        const own = prefix;
        return {
          kind: 'redis',
          store,
          clock,
          redis: { client, prefix: own },
          async dump() {
            const entries: Record<string, unknown> = {};
            for (const key of await keysUnder(client, own)) {
              entries[key] =
                (await client.type(key)) === 'hash'
                  ? await client.hgetall(key)
                  : await client.zrange(key, 0, -1, 'WITHSCORES');
            }
            return JSON.stringify(entries);
          },
        };
      },
      async openSecondInstance(storeOptions = {}) {
        return new RedisSessionStore(connect(), { prefix, pruneIntervalMs: 0, ...storeOptions });
      },
    },
    async teardown() {
      for (const own of prefixes) {
        const keys = await keysUnder(client, own);
        if (keys.length) await client.del(...keys);
      }
      for (const each of clients) await each.quit();
    },
  };
}

/**
 * Registers `body` once per backend kind, each in its own describe with a scratch backend made in
 * `before` (after checking the server is there) and dropped in `after`.
 */
export function forEachBackend(
  kinds: readonly BackendKind[],
  body: (harness: () => BackendHarness) => void,
  options: BackendOptions = {},
): void {
  for (const kind of kinds) {
    describe(`on ${BACKEND_LABELS[kind]}`, function () {
      let scratch: Scratch | undefined;
      before(async function () {
        if (kind === 'mariadb') await requireServer(this, 'mysql');
        if (kind === 'postgres') await requireServer(this, 'postgres');
        if (kind === 'redis') await requireServer(this, 'redis');
        scratch = kind === 'redis' ? await scratchRedis() : await scratchSql(kind, options);
      });
      after(async function () {
        await scratch?.teardown();
      });
      body(() => {
        if (!scratch) throw new Error(`The ${BACKEND_LABELS[kind]} backend was not set up.`);
        return scratch.harness;
      });
    });
  }
}
