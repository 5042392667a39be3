import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chai from 'chai';
import { createDataSource } from '../src/db/data-source';
import { preparePrivateSqliteFile, sqliteFilePaths } from '../src/db/sqlite-file';

const { expect } = chai;

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

describe('preparePrivateSqliteFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when the database does not exist yet', () => {
    it('creates it 0600, in a new folder, and SQLite then makes its WAL and SHM 0600 too', async () => {
      const file = join(dir, 'nested', 'billing.sqlite');
      const dataSource = createDataSource({ type: 'sqlite', file });
      await dataSource.initialize();
      try {
        await dataSource.query('CREATE TABLE t (x INTEGER)');
        await dataSource.query('INSERT INTO t (x) VALUES (1)');
        expect(sqliteFilePaths(file).slice(0, 3).map(modeOf)).to.deep.equal(['600', '600', '600']);
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('when the database and its journals exist with a wider mode', () => {
    it('narrows each of them to 0600 and keeps their contents', () => {
      const file = join(dir, 'billing.sqlite');
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        writeFileSync(path, 'data');
        chmodSync(path, 0o644);
      }
      preparePrivateSqliteFile(file);
      expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).to.deep.equal(['600', '600', '600']);
      expect(statSync(file).size).to.equal(4);
    });
  });
});
