import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chai from 'chai';
import { DataSource } from 'typeorm';
import { siteEntities, siteMigrations } from '../src/db/schema';
import { NotificationThrottle } from '../src/services/notification-throttle';

const { expect } = chai;

const WINDOW_MS = 15 * 60_000;
const T0 = new Date(Date.UTC(2031, 0, 1, 9, 0, 0));

function later(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

function sqliteFile(file: string): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    enableWAL: true,
    timeout: 5000,
    entities: siteEntities,
    migrations: siteMigrations,
  });
}

describe('NotificationThrottle', () => {
  let dir: string;
  let first: DataSource;
  let second: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'notification-throttle-'));
    first = sqliteFile(join(dir, 'site.sqlite'));
    await first.initialize();
    await first.runMigrations();
    second = sqliteFile(join(dir, 'site.sqlite'));
    await second.initialize();
  });

  afterEach(async () => {
    await first.destroy();
    await second.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when one user triggers the same kind of mail again and again', () => {
    it('S30: allows the first, refuses repeats inside the window, and allows one again after it', async () => {
      const throttle = new NotificationThrottle(first);
      const claim = (at: Date, userId = '7') =>
        throttle.claim({ userId, kind: 'code.replayed', at, windowMs: WINDOW_MS });
      expect(await claim(T0)).to.equal(true);
      expect(await claim(later(1000))).to.equal(false);
      expect(await claim(later(WINDOW_MS - 1))).to.equal(false);
      expect(await claim(later(WINDOW_MS))).to.equal(true);
      expect(await claim(later(WINDOW_MS + 1000))).to.equal(false);
      expect(await claim(later(1000), '8'), 'another user has a window of their own').to.equal(true);
      const rows = await first.query('SELECT user_id, kind, sent_at FROM notification_throttles ORDER BY user_id');
      expect(rows).to.deep.equal([
        { user_id: '7', kind: 'code.replayed', sent_at: later(WINDOW_MS).getTime() },
        { user_id: '8', kind: 'code.replayed', sent_at: later(1000).getTime() },
      ]);
    });

    it('keeps kinds apart', async () => {
      const throttle = new NotificationThrottle(first);
      expect(await throttle.claim({ userId: '7', kind: 'code.replayed', at: T0, windowMs: WINDOW_MS })).to.equal(true);
      expect(await throttle.claim({ userId: '7', kind: 'other', at: T0, windowMs: WINDOW_MS })).to.equal(true);
    });
  });

  describe('when two instances claim at the same time, over separate connections', () => {
    it('S30: exactly one of 20 parallel first claims wins, and exactly one of 20 after the window', async () => {
      const instances = [new NotificationThrottle(first), new NotificationThrottle(second)];
      const burst = (at: Date) =>
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            instances[i % 2].claim({ userId: '7', kind: 'code.replayed', at, windowMs: WINDOW_MS }),
          ),
        );
      expect((await burst(T0)).filter(Boolean)).to.have.length(1);
      expect((await burst(later(WINDOW_MS + 5000))).filter(Boolean)).to.have.length(1);
    });
  });
});
