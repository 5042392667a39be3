/**
 * The README's examples are examples/koa-app.ts and examples/express-app.ts, verbatim. Both are
 * type-checked with the tests and their apps run end to end in the app tests; here their set-up
 * functions run against a real PostgreSQL and a real Redis.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chai from 'chai';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { openSessions as openRedisSessions } from '../examples/express-app';
import { createDataSource, openSessions as openSqlSessions } from '../examples/koa-app';
import { createScratchDatabase, type ScratchDatabase } from './support/databases';
import { newSessionId, signedIn } from './support/session-store-conformance';
import { requireServer, serverUrl } from './support/servers';

const { expect } = chai;

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function block(example: string): string | undefined {
  const marker = `<!-- example: ${example} -->`;
  return new RegExp(`${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n?\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(
    README,
  )?.[1];
}

describe('README examples', function () {
  describe('when the README is read', function () {
    for (const example of ['examples/koa-app.ts', 'examples/express-app.ts']) {
      it(`shows ${example} verbatim`, function () {
        const shown = block(example);
        expect(shown, 'the README marks the example block').to.be.a('string');
        expect(shown).to.equal(readFileSync(join(__dirname, '..', example), 'utf8'));
      });
    }
  });

  describe('when the Koa example opens its sessions on PostgreSQL', function () {
    let database: ScratchDatabase;
    let dataSource: DataSource | undefined;

    before(async function () {
      await requireServer(this, 'postgres');
      database = await createScratchDatabase('postgres');
    });

    after(async function () {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await database?.drop();
    });

    it('migrates the DataSource and returns a store with the S33 lifetime', async function () {
      const options = database.options as { host: string; port: number; username: string; database: string };
      dataSource = createDataSource(
        `postgres://${options.username}@${options.host}:${options.port}/${options.database}`,
      );
      await dataSource.initialize();
      const sessions = await openSqlSessions(dataSource);
      const id = newSessionId();
      await sessions.set(id, signedIn(1), { ttlMs: 24 * 3_600_000 });
      const [listed] = await sessions.listSessions(1);
      expect(listed.expiresAt.getTime() - listed.createdAt.getTime()).to.equal(30 * 60_000);
    });
  });

  describe('when the Express example opens its sessions on Redis', function () {
    let redis: Redis | undefined;

    before(async function () {
      await requireServer(this, 'redis');
      redis = new Redis(serverUrl('redis') as string);
    });

    after(async function () {
      await redis?.quit();
    });

    it('returns a store with the S33 lifetime', async function () {
      const sessions = openRedisSessions(redis!);
      const id = newSessionId();
      await sessions.set(id, signedIn('user-ada'), { ttlMs: 24 * 3_600_000 });
      const loaded = await sessions.get(id);
      expect(loaded!.expiresAt.getTime() - loaded!.createdAt.getTime()).to.equal(30 * 60_000);
      await sessions.destroy(id);
      await redis!.del(`sf:sess:s:${loaded!.id}`);
    });
  });
});
