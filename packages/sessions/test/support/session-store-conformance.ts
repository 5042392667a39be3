/**
 * The conformance suite every session backend passes through {@link SessionStore}: round trips,
 * expiry, lifetimes, the user index, listing and revocation (S33), tombstones, pruning, the
 * whole-store operations and concurrent writes. Each test starts from an empty backend.
 */
import { randomBytes } from 'node:crypto';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { sessionHandle } from '../../src';
import type { BackendHarness } from './backends';

chai.use(chaiAsPromised);
const { expect } = chai;

/** A fresh session id, as koa-session or express-session would make one. */
export function newSessionId(): string {
  return randomBytes(24).toString('base64url');
}

/** Session data with Passport's user, as koa-passport and passport write it. */
export function signedIn(userId: string | number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { passport: { user: userId }, ...extra };
}

const HOUR_MS = 3_600_000;

/** Registers the conformance tests for the backend `harness` returns. */
export function runSessionStoreConformance(harness: () => BackendHarness): void {
  describe('when a session is written and read', function () {
    it('returns the data written, and null for an unknown id', async function () {
      const { store } = await harness().open();
      const id = newSessionId();
      await store.set(id, signedIn('42', { cart: [1, 2] }), { ttlMs: HOUR_MS });
      const loaded = await store.get(id);
      expect(loaded?.data).to.deep.equal({ passport: { user: '42' }, cart: [1, 2] });
      expect(loaded?.userId).to.equal('42');
      expect(loaded?.id).to.equal(sessionHandle(id));
      expect(await store.get(newSessionId())).to.equal(null);
    });

    it('keeps createdAt across writes and moves lastSeenAt and the expiry', async function () {
      const { store, clock } = await harness().open();
      const id = newSessionId();
      const created = clock.now();
      await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      clock.advance({ minutes: 10 });
      await store.set(id, signedIn('42', { step: 2 }), { ttlMs: HOUR_MS });
      const loaded = await store.get(id);
      expect(loaded?.createdAt.getTime()).to.equal(created.getTime());
      expect(loaded?.lastSeenAt.getTime()).to.equal(clock.nowMs());
      expect(loaded?.expiresAt.getTime()).to.equal(clock.nowMs() + HOUR_MS);
      expect(loaded?.data.step).to.equal(2);
    });

    it('stores the SHA-256 handle of the session id, never the id itself', async function () {
      const opened = await harness().open();
      const id = newSessionId();
      await opened.store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      const dump = await opened.dump();
      expect(dump).to.include(sessionHandle(id));
      expect(dump).to.not.include(id);
    });

    it('records a valid IP and the User-Agent, keeps them on a write without, drops a forged IP', async function () {
      const { store, clock } = await harness().open();
      const id = newSessionId();
      await store.set(id, signedIn('42'), { ttlMs: HOUR_MS, client: { ip: '203.0.113.7', userAgent: 'Firefox/140' } });
      clock.advance({ minutes: 2 });
      await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      expect(await store.get(id)).to.include({ ip: '203.0.113.7', userAgent: 'Firefox/140' });
      const forged = newSessionId();
      await store.set(forged, signedIn('42'), {
        ttlMs: HOUR_MS,
        client: { ip: '1.2.3.4 admin=1', userAgent: 'x'.repeat(2000) },
      });
      const loaded = await store.get(forged);
      expect(loaded?.ip).to.equal(null);
      expect(loaded?.userAgent).to.have.length(512);
    });

    it('refuses data too large to store, before writing anything', async function () {
      const { store } = await harness().open();
      const id = newSessionId();
      await expect(store.set(id, { blob: 'x'.repeat(70_000) }, { ttlMs: HOUR_MS })).to.be.rejectedWith(RangeError);
      expect(await store.get(id)).to.equal(null);
    });
  });

  describe('when a session outlives its TTL', function () {
    it('is no longer returned', async function () {
      const { store, clock } = await harness().open();
      const id = newSessionId();
      await store.set(id, signedIn('42'), { ttlMs: 60_000 });
      clock.advance(59_999);
      expect(await store.get(id)).to.not.equal(null);
      clock.advance(1);
      expect(await store.get(id)).to.equal(null);
    });

    it('keeps a browser-session cookie (no TTL) for browserSessionTtlMs', async function () {
      const { store, clock } = await harness().open({ browserSessionTtlMs: 2 * HOUR_MS });
      const id = newSessionId();
      await store.set(id, signedIn('42'), { ttlMs: null });
      clock.advance(2 * HOUR_MS - 1);
      expect(await store.get(id)).to.not.equal(null);
      clock.advance(1);
      expect(await store.get(id)).to.equal(null);
    });
  });

  describe('when a lifetime is set', function () {
    it('S33: ends a session idle for idleMinutes, while requests (touches) keep it alive', async function () {
      const { store, clock } = await harness().open({ lifetime: { idleMinutes: 30 } });
      const idle = newSessionId();
      const active = newSessionId();
      await store.set(idle, signedIn('42'), { ttlMs: 8 * HOUR_MS });
      await store.set(active, signedIn('42'), { ttlMs: 8 * HOUR_MS });
      for (let minute = 0; minute < 60; minute += 20) {
        clock.advance({ minutes: 20 });
        expect(await store.touch(active, { ttlMs: 8 * HOUR_MS })).to.equal(true);
      }
      expect(await store.get(idle)).to.equal(null);
      expect(await store.get(active)).to.not.equal(null);
      clock.advance({ minutes: 30 });
      expect(await store.get(active)).to.equal(null);
    });

    it('S33: ends a session maxHours after it was created, however active', async function () {
      const { store, clock } = await harness().open({ lifetime: { idleMinutes: 30, maxHours: 12 } });
      const id = newSessionId();
      await store.set(id, signedIn('42'), { ttlMs: 24 * HOUR_MS });
      for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
        clock.advance({ minutes: 20 });
        await store.set(id, signedIn('42'), { ttlMs: 24 * HOUR_MS });
      }
      const last = await store.get(id);
      expect(last?.expiresAt.getTime()).to.be.at.most(last!.createdAt.getTime() + 12 * HOUR_MS);
      clock.advance({ minutes: 20 });
      expect(await store.touch(id, { ttlMs: 24 * HOUR_MS })).to.equal(false);
      expect(await store.get(id)).to.equal(null);
      expect(await store.listSessions('42')).to.deep.equal([]);
    });

    it('touches at most once per touchIntervalMs, so a burst of requests costs one write', async function () {
      const { store, clock } = await harness().open({ touchIntervalMs: 60_000 });
      const id = newSessionId();
      await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      clock.advance(59_000);
      expect(await store.touch(id, { ttlMs: HOUR_MS })).to.equal(false);
      clock.advance(1_000);
      expect(await store.touch(id, { ttlMs: HOUR_MS, client: { ip: '::1' } })).to.equal(true);
      const loaded = await store.get(id);
      expect(loaded?.lastSeenAt.getTime()).to.equal(clock.nowMs());
      expect(loaded?.expiresAt.getTime()).to.equal(clock.nowMs() + HOUR_MS);
      expect(loaded?.ip).to.equal('::1');
      expect(await store.touch(id, { ttlMs: HOUR_MS, lastSeenAt: loaded!.lastSeenAt })).to.equal(false);
    });
  });

  describe('when sessions are indexed by user', function () {
    it("S33: lists the user's sessions, latest first, marks the current one, shows only handles", async function () {
      const { store, clock } = await harness().open();
      const [first, second] = [newSessionId(), newSessionId()];
      await store.set(first, signedIn('42'), { ttlMs: HOUR_MS, client: { ip: '192.0.2.1', userAgent: 'Safari' } });
      clock.advance({ minutes: 5 });
      await store.set(second, signedIn('42'), { ttlMs: HOUR_MS, client: { ip: '192.0.2.2', userAgent: 'Edge' } });
      const list = await store.listSessions('42', { currentSessionId: first });
      expect(list).to.deep.equal([
        {
          id: sessionHandle(second),
          current: false,
          createdAt: clock.now(),
          lastSeenAt: clock.now(),
          expiresAt: new Date(clock.nowMs() + HOUR_MS),
          ip: '192.0.2.2',
          userAgent: 'Edge',
        },
        {
          id: sessionHandle(first),
          current: true,
          createdAt: new Date(clock.nowMs() - 300_000),
          lastSeenAt: new Date(clock.nowMs() - 300_000),
          expiresAt: new Date(clock.nowMs() - 300_000 + HOUR_MS),
          ip: '192.0.2.1',
          userAgent: 'Safari',
        },
      ]);
      expect(JSON.stringify(list)).to.not.include(first).and.not.include(second);
    });

    it("lists only that user's live sessions, never another user's or an anonymous one", async function () {
      const { store, clock } = await harness().open();
      await store.set(newSessionId(), signedIn('42'), { ttlMs: HOUR_MS });
      await store.set(newSessionId(), signedIn('43'), { ttlMs: HOUR_MS });
      await store.set(newSessionId(), { cart: [] }, { ttlMs: HOUR_MS });
      await store.set(newSessionId(), signedIn('42'), { ttlMs: 1000 });
      clock.advance(1000);
      expect(await store.listSessions('42')).to.have.length(1);
      expect(await store.listSessions('43')).to.have.length(1);
      expect(await store.listSessions('44')).to.deep.equal([]);
    });

    it('follows the user in the data: sign-in adds the session to the index, sign-out removes it', async function () {
      const { store } = await harness().open();
      const id = newSessionId();
      await store.set(id, { cart: [] }, { ttlMs: HOUR_MS });
      expect(await store.listSessions('42')).to.deep.equal([]);
      await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      expect((await store.listSessions('42')).map((s) => s.id)).to.deep.equal([sessionHandle(id)]);
      await store.set(id, signedIn('43'), { ttlMs: HOUR_MS });
      expect(await store.listSessions('42')).to.deep.equal([]);
      expect(await store.listSessions('43')).to.have.length(1);
      await store.set(id, { passport: {} }, { ttlMs: HOUR_MS });
      expect(await store.listSessions('43')).to.deep.equal([]);
      expect(await store.get(id)).to.not.equal(null);
    });

    it('treats 42 and "42" as one user, and "Bob" and "bob" as two', async function () {
      const { store } = await harness().open();
      await store.set(newSessionId(), signedIn(42), { ttlMs: HOUR_MS });
      await store.set(newSessionId(), signedIn('Bob'), { ttlMs: HOUR_MS });
      expect(await store.listSessions('42')).to.have.length(1);
      expect(await store.listSessions(42)).to.have.length(1);
      expect(await store.listSessions('bob')).to.deep.equal([]);
      expect(await store.revokeAllSessions('bob')).to.equal(0);
      expect(await store.listSessions('Bob')).to.have.length(1);
    });

    it('reads the user through a custom userIdOf', async function () {
      const { store } = await harness().open({ userIdOf: (data) => (data.account as { id?: number })?.id });
      await store.set(newSessionId(), { account: { id: 7 } }, { ttlMs: HOUR_MS });
      expect(await store.listSessions(7)).to.have.length(1);
    });
  });

  describe('when a session is revoked', function () {
    it('S33: revokeSession ends that session only, and it stays ended', async function () {
      const { store } = await harness().open();
      const [mine, other] = [newSessionId(), newSessionId()];
      await store.set(mine, signedIn('42'), { ttlMs: HOUR_MS });
      await store.set(other, signedIn('42'), { ttlMs: HOUR_MS });
      expect(await store.revokeSession('42', sessionHandle(other))).to.equal(true);
      expect(await store.get(other)).to.equal(null);
      expect(await store.get(mine)).to.not.equal(null);
      expect((await store.listSessions('42')).map((s) => s.id)).to.deep.equal([sessionHandle(mine)]);
      expect(await store.revokeSession('42', sessionHandle(other))).to.equal(false);
    });

    it("S33: refuses another user's session, an unknown handle and a raw session id", async function () {
      const { store } = await harness().open();
      const victim = newSessionId();
      await store.set(victim, signedIn('42'), { ttlMs: HOUR_MS });
      expect(await store.revokeSession('43', sessionHandle(victim))).to.equal(false);
      expect(await store.revokeSession('42', sessionHandle(newSessionId()))).to.equal(false);
      expect(await store.revokeSession('42', victim)).to.equal(false);
      expect(await store.revokeSession('42', "' OR 1=1 --")).to.equal(false);
      expect(await store.get(victim)).to.not.equal(null);
    });

    it('S33: revokeOtherSessions ends every other session of the user and keeps the current one', async function () {
      const { store } = await harness().open();
      const current = newSessionId();
      const others = [newSessionId(), newSessionId(), newSessionId()];
      const stranger = newSessionId();
      for (const id of [current, ...others]) await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      await store.set(stranger, signedIn('43'), { ttlMs: HOUR_MS });
      expect(await store.revokeOtherSessions('42', current)).to.equal(3);
      for (const id of others) expect(await store.get(id)).to.equal(null);
      expect(await store.get(current)).to.not.equal(null);
      expect(await store.get(stranger)).to.not.equal(null);
      const list = await store.listSessions('42', { currentSessionId: current });
      expect(list.map((s) => [s.id, s.current])).to.deep.equal([[sessionHandle(current), true]]);
    });

    it('revokeAllSessions ends every session of the user', async function () {
      const { store } = await harness().open();
      const ids = [newSessionId(), newSessionId()];
      for (const id of ids) await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      expect(await store.revokeAllSessions(42)).to.equal(2);
      for (const id of ids) expect(await store.get(id)).to.equal(null);
      expect(await store.listSessions('42')).to.deep.equal([]);
    });

    it('S33: a write or touch from a request still in flight cannot bring a revoked session back', async function () {
      const { store, clock } = await harness().open();
      const [revoked, destroyed] = [newSessionId(), newSessionId()];
      await store.set(revoked, signedIn('42'), { ttlMs: HOUR_MS });
      await store.set(destroyed, signedIn('42'), { ttlMs: HOUR_MS });
      await store.revokeSession('42', sessionHandle(revoked));
      await store.destroy(destroyed);
      clock.advance({ minutes: 5 });
      for (const id of [revoked, destroyed]) {
        await store.set(id, signedIn('42', { late: true }), { ttlMs: HOUR_MS });
        expect(await store.touch(id, { ttlMs: HOUR_MS })).to.equal(false);
        expect(await store.get(id)).to.equal(null);
      }
      expect(await store.listSessions('42')).to.deep.equal([]);
    });

    it('keeps no user data in the tombstone', async function () {
      const opened = await harness().open();
      const id = newSessionId();
      await opened.store.set(id, signedIn('user-with-a-name', { secret: 'pending-fingerprint' }), {
        ttlMs: HOUR_MS,
        client: { ip: '198.51.100.9', userAgent: 'Chrome' },
      });
      await opened.store.destroy(id);
      const dump = await opened.dump();
      for (const trace of ['user-with-a-name', 'pending-fingerprint', '198.51.100.9', 'Chrome'])
        expect(dump).to.not.include(trace);
    });
  });

  describe('when expired sessions are pruned', function () {
    it('deletes expired sessions and tombstones, cleans the user index and keeps live sessions', async function () {
      const { store, clock, kind } = await harness().open();
      const live = newSessionId();
      const expired = [newSessionId(), newSessionId(), newSessionId()];
      for (const id of expired) await store.set(id, signedIn('42'), { ttlMs: 1000 });
      await store.destroy(expired[0]);
      await store.set(live, signedIn('42'), { ttlMs: HOUR_MS });
      clock.advance(1000);
      // SQL deletes the three rows; Redis lets the TTL delete the sessions and removes the two
      // index entries left (revoking already removed the first).
      expect(await store.pruneExpired()).to.equal(kind === 'redis' ? 2 : 3);
      expect(await store.pruneExpired()).to.equal(0);
      expect(await store.get(live)).to.not.equal(null);
      expect((await store.listSessions('42')).map((s) => s.id)).to.deep.equal([sessionHandle(live)]);
    });

    it('prunes one batch from a write once per pruneIntervalMs', async function () {
      const { store, clock } = await harness().open({ pruneIntervalMs: 60_000 });
      const first = newSessionId();
      await store.set(first, signedIn('42'), { ttlMs: 1000 });
      clock.advance(1000);
      await store.set(newSessionId(), signedIn('43'), { ttlMs: HOUR_MS });
      expect(await store.pruneExpired()).to.equal(1);
      await store.set(newSessionId(), signedIn('42'), { ttlMs: 1000 });
      clock.advance(1000);
      await store.set(newSessionId(), signedIn('43'), { ttlMs: HOUR_MS });
      expect(await store.pruneExpired(), 'not due yet: the write pruned nothing').to.equal(1);
      await store.set(newSessionId(), signedIn('42'), { ttlMs: 1000 });
      clock.advance(60_000);
      await store.set(newSessionId(), signedIn('43'), { ttlMs: HOUR_MS });
      expect(await store.pruneExpired(), 'due: the write pruned the expired session').to.equal(0);
    });
  });

  describe('when the whole store is used (express-session all, length, clear)', function () {
    it('returns and counts live sessions only, and clear ends them all', async function () {
      const { store, clock } = await harness().open();
      const [a, b, gone] = [newSessionId(), newSessionId(), newSessionId()];
      await store.set(a, signedIn('42', { n: 1 }), { ttlMs: HOUR_MS });
      await store.set(b, { n: 2 }, { ttlMs: HOUR_MS });
      await store.set(gone, { n: 3 }, { ttlMs: 1000 });
      clock.advance(1000);
      expect((await store.allSessions()).map((data) => data.n).sort()).to.deep.equal([1, 2]);
      expect(await store.countSessions()).to.equal(2);
      expect(await store.clear()).to.equal(2);
      expect(await store.countSessions()).to.equal(0);
      expect(await store.get(a)).to.equal(null);
    });
  });

  describe('when writes race', function () {
    it('parallel first writes of one session leave one session, without a duplicate-key error', async function () {
      const { store } = await harness().open();
      const id = newSessionId();
      await Promise.all(Array.from({ length: 10 }, (_, n) => store.set(id, signedIn('42', { n }), { ttlMs: HOUR_MS })));
      expect(await store.listSessions('42')).to.have.length(1);
      expect(await store.countSessions()).to.equal(1);
    });

    it('S33: revoking others while those sessions write in parallel leaves none of them alive', async function () {
      const opened = await harness().open();
      const { store } = opened;
      const current = newSessionId();
      const others = Array.from({ length: 8 }, () => newSessionId());
      for (const id of [current, ...others]) await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
      const peer =
        harness().kind === 'sqlite' ? store : await harness().openSecondInstance({ clock: opened.clock.clock });
      const [revoked] = await Promise.all([
        store.revokeOtherSessions('42', current),
        ...others.map((id, n) => peer.set(id, signedIn('42', { n }), { ttlMs: HOUR_MS })),
      ]);
      expect(revoked).to.equal(8);
      for (const id of others) {
        await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
        expect(await store.get(id)).to.equal(null);
      }
      expect((await store.listSessions('42')).map((s) => s.id)).to.deep.equal([sessionHandle(current)]);
    });
  });
}
