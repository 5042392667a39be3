/**
 * What the Redis store leaves in Redis: a hash per session that expires by itself, a per-user
 * index that expires with its last session and is cleaned of dead entries, tombstones that keep
 * their TTL, and scripts that survive a Redis restart (SCRIPT FLUSH).
 */
import * as chai from 'chai';
import { Redis } from 'ioredis';
import { sessionHandle } from '../src';
import { RedisSessionStore } from '../src/redis';
import { forEachBackend } from './support/backends';
import { newSessionId, signedIn } from './support/session-store-conformance';
import { serverUrl } from './support/servers';

const { expect } = chai;
const HOUR_MS = 3_600_000;

describe('RedisSessionStore keys', function () {
  forEachBackend(['redis'], (harness) => {
    describe('when a session is written', function () {
      it('gives the session and the user index a TTL that ends with the session', async function () {
        const { store, redis } = await harness().open();
        const { client, prefix } = redis!;
        const id = newSessionId();
        await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
        const sessionTtl = await client.pttl(`${prefix}s:${sessionHandle(id)}`);
        const indexTtl = await client.pttl(`${prefix}u:42`);
        expect(sessionTtl).to.be.within(HOUR_MS - 5000, HOUR_MS);
        expect(indexTtl).to.be.within(HOUR_MS - 5000, HOUR_MS);
        expect(await client.zrange(`${prefix}u:42`, 0, -1)).to.deep.equal([sessionHandle(id)]);
      });

      it('lets Redis delete an expired session by itself', async function () {
        const { redis } = await harness().open();
        const { client, prefix } = redis!;
        const store = new RedisSessionStore(client, { prefix, pruneIntervalMs: 0 });
        const id = newSessionId();
        await store.set(id, signedIn('42'), { ttlMs: 150 });
        expect(await client.exists(`${prefix}s:${sessionHandle(id)}`)).to.equal(1);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await client.exists(`${prefix}s:${sessionHandle(id)}`)).to.equal(0);
        expect(await client.exists(`${prefix}u:42`)).to.equal(0);
      });
    });

    describe('when a session is revoked', function () {
      it('keeps a data-free tombstone until the old expiry and drops it from the index', async function () {
        const { store, redis } = await harness().open();
        const { client, prefix } = redis!;
        const [kept, revoked] = [newSessionId(), newSessionId()];
        await store.set(kept, signedIn('42'), { ttlMs: HOUR_MS });
        await store.set(revoked, signedIn('42'), { ttlMs: HOUR_MS });
        await store.revokeSession('42', sessionHandle(revoked));
        const key = `${prefix}s:${sessionHandle(revoked)}`;
        expect(await client.hgetall(key)).to.have.keys(['revoked', 'created', 'seen', 'expires']);
        expect(await client.pttl(key)).to.be.within(HOUR_MS - 5000, HOUR_MS);
        expect(await client.zrange(`${prefix}u:42`, 0, -1)).to.deep.equal([sessionHandle(kept)]);
      });
    });

    describe('when the user index holds dead entries', function () {
      it('pruneExpired removes them for users who never come back, and nothing else', async function () {
        const { store, clock, redis } = await harness().open();
        const { client, prefix } = redis!;
        await store.set(newSessionId(), signedIn('gone'), { ttlMs: 1000 });
        await store.set(newSessionId(), signedIn('gone'), { ttlMs: 1000 });
        await store.set(newSessionId(), signedIn('here'), { ttlMs: HOUR_MS });
        clock.advance(1000);
        expect(await store.pruneExpired()).to.equal(2);
        expect(await client.exists(`${prefix}u:gone`)).to.equal(0);
        expect(await client.zcard(`${prefix}u:here`)).to.equal(1);
      });
    });

    describe('when the Redis database also holds many keys of other applications', function () {
      it("S33: pruneExpired still reaches this store's index, with a single batch allowed", async function () {
        const { store, clock, redis } = await harness().open();
        const { client, prefix } = redis!;
        const others = `${prefix}other:`;
        const pipeline = client.pipeline();
        for (let i = 0; i < 3000; i++) pipeline.set(`${others}${i}`, '1', 'PX', 60_000);
        await pipeline.exec();
        try {
          await store.set(newSessionId(), signedIn('gone'), { ttlMs: 1000 });
          clock.advance(1000);
          expect(await store.pruneExpired({ batchSize: 10, maxBatches: 1 })).to.equal(1);
          expect(await client.exists(`${prefix}u:gone`)).to.equal(0);
        } finally {
          const keys = await client.keys(`${others}*`);
          for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
        }
      });
    });

    describe('when Redis has forgotten the scripts', function () {
      it('loads them again (SCRIPT FLUSH, a restart)', async function () {
        const { store, redis } = await harness().open();
        await redis!.client.script('FLUSH');
        const id = newSessionId();
        await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
        expect(await store.revokeOtherSessions('42', newSessionId())).to.equal(1);
        expect(await store.get(id)).to.equal(null);
      });
    });
  });

  describe('when given a client it cannot use', function () {
    it('refuses a client with keyPrefix, and something that is not a client', function () {
      const prefixed = new Redis(serverUrl('redis') as string, { keyPrefix: 'app:', lazyConnect: true });
      try {
        expect(() => new RedisSessionStore(prefixed)).to.throw(TypeError, /keyPrefix/);
        expect(() => new RedisSessionStore({} as Redis)).to.throw(TypeError, /ioredis client/);
      } finally {
        prefixed.disconnect();
      }
    });
  });
});
