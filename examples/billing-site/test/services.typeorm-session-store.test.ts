import 'reflect-metadata';
import * as chai from 'chai';
import { DataSource } from 'typeorm';
import { siteEntities, siteMigrations } from '../src/db/schema';
import { TypeOrmSessionStore } from '../src/services/typeorm-session-store';

const { expect } = chai;

describe('TypeOrmSessionStore', () => {
  let dataSource: DataSource;
  let nowMs: number;
  let store: TypeOrmSessionStore;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: siteEntities,
      migrations: siteMigrations,
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    nowMs = 1_700_000_000_000;
    store = new TypeOrmSessionStore(dataSource, { now: () => nowMs, pruneIntervalMs: 1000 });
  });
  afterEach(() => dataSource.destroy());

  describe('when a session is set and read back', () => {
    it('round-trips the JSON and overwrites on the next set', async () => {
      await store.set('abc', { passport: { user: '7' }, n: 1 }, 60_000);
      expect(await store.get('abc')).to.deep.equal({ passport: { user: '7' }, n: 1 });
      await store.set('abc', { n: 2 }, 60_000);
      expect(await store.get('abc')).to.deep.equal({ n: 2 });
      expect(await dataSource.query('SELECT COUNT(*) AS n FROM sessions')).to.deep.equal([{ n: 1 }]);
    });
  });

  describe('when a session has expired or is destroyed', () => {
    it('answers null, and a later write prunes expired rows', async () => {
      await store.set('old', { a: 1 }, 1000);
      await store.set('gone', { b: 1 }, 60_000);
      await store.destroy('gone');
      expect(await store.get('gone')).to.equal(null);
      nowMs += 5000;
      expect(await store.get('old')).to.equal(null);
      await store.set('new', { c: 1 }, 'session');
      const ids = (await dataSource.query('SELECT id FROM sessions ORDER BY id')) as Array<{ id: string }>;
      expect(ids.map((row) => row.id)).to.deep.equal(['new']);
    });
  });

  describe('when the stored data is not a JSON object', () => {
    it('answers null instead of throwing', async () => {
      await dataSource.query('INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?)', [
        'bad',
        '[1,2]',
        nowMs + 1000,
      ]);
      await dataSource.query('INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?)', [
        'worse',
        '{not json',
        nowMs + 1000,
      ]);
      expect(await store.get('bad')).to.equal(null);
      expect(await store.get('worse')).to.equal(null);
    });
  });
});
