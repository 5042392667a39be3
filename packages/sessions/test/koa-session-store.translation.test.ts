/**
 * What koaSessionStore translates: koa-session's `maxAge` (a number, `'session'`, or the
 * session's own `_maxAge` / `_session`) into the stored expiry, `ctx` into the client, and a read
 * into a touch at most once per interval.
 */
import * as chai from 'chai';
import { koaSessionStore } from '../src/koa';
import { forEachBackend } from './support/backends';
import { newSessionId, signedIn } from './support/session-store-conformance';

const { expect } = chai;
const HOUR_MS = 3_600_000;

const ctx = { ip: '203.0.113.5', get: (field: string) => (field === 'User-Agent' ? 'Firefox/140' : '') };

describe('koaSessionStore', function () {
  forEachBackend(['sqlite'], (harness) => {
    describe('when koa-session writes a session', function () {
      it('keeps it for maxAge ms, or browserSessionTtlMs for a browser-session cookie', async function () {
        const { store, clock } = await harness().open({ browserSessionTtlMs: 2 * HOUR_MS });
        const koa = koaSessionStore(store);
        const [timed, browser] = [newSessionId(), newSessionId()];
        await koa.set(timed, signedIn(1), HOUR_MS + 10_000, { ctx });
        await koa.set(browser, signedIn(1, { _session: true }), 'session', { ctx });
        expect((await store.get(timed))?.expiresAt.getTime()).to.equal(clock.nowMs() + HOUR_MS + 10_000);
        expect((await store.get(browser))?.expiresAt.getTime()).to.equal(clock.nowMs() + 2 * HOUR_MS);
        expect(await store.get(timed)).to.include({ ip: '203.0.113.5', userAgent: 'Firefox/140' });
      });

      it('records no client when clientOf is false', async function () {
        const { store } = await harness().open();
        const id = newSessionId();
        await koaSessionStore(store, { clientOf: false }).set(id, signedIn(1), HOUR_MS, { ctx });
        expect(await store.get(id)).to.include({ ip: null, userAgent: null });
      });
    });

    describe('when koa-session reads a session', function () {
      it("returns the data and marks the session seen, using the session's own _maxAge", async function () {
        const { store, clock } = await harness().open({ touchIntervalMs: 60_000 });
        const koa = koaSessionStore(store);
        const id = newSessionId();
        await koa.set(id, signedIn(1, { _maxAge: 2 * HOUR_MS }), 2 * HOUR_MS, { ctx: {} });
        expect(await koa.get(id, HOUR_MS, { ctx })).to.deep.equal(signedIn(1, { _maxAge: 2 * HOUR_MS }));
        expect((await store.get(id))?.ip, 'seen just now: no touch yet').to.equal(null);
        clock.advance({ minutes: 5 });
        await koa.get(id, HOUR_MS, { ctx });
        const seen = await store.get(id);
        expect(seen?.lastSeenAt.getTime()).to.equal(clock.nowMs());
        expect(seen?.expiresAt.getTime()).to.equal(clock.nowMs() + 2 * HOUR_MS);
        expect(seen?.ip).to.equal('203.0.113.5');
      });

      it('returns null for an unknown or destroyed key', async function () {
        const { store } = await harness().open();
        const koa = koaSessionStore(store);
        const id = newSessionId();
        await koa.set(id, signedIn(1), HOUR_MS, { ctx });
        await koa.destroy(id, { ctx });
        expect(await koa.get(id, HOUR_MS, { ctx })).to.equal(null);
        expect(await koa.get(newSessionId(), HOUR_MS, { ctx })).to.equal(null);
      });
    });
  });
});
