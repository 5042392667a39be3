/**
 * What ExpressSessionStore translates: callbacks to promises, the cookie's remaining life to the
 * stored expiry, the request kept on the session to the client, and the whole-store calls.
 */
import { promisify } from 'node:util';
import * as chai from 'chai';
import type { SessionData } from 'express-session';
import { ExpressSessionStore } from '../src/express';
import { forEachBackend } from './support/backends';
import { newSessionId, signedIn } from './support/session-store-conformance';

const { expect } = chai;
const HOUR_MS = 3_600_000;

/** A session as express-session hands it over: cookie data, and the request as a hidden property. */
function expressSession(data: Record<string, unknown>, cookie: Record<string, unknown>, ip = '198.51.100.4') {
  const session = { ...data, cookie } as unknown as SessionData;
  Object.defineProperty(session, 'req', {
    value: { ip, get: (field: string) => (field === 'User-Agent' ? 'Safari/18' : undefined) },
  });
  return session;
}

describe('ExpressSessionStore', function () {
  forEachBackend(['sqlite'], (harness) => {
    describe('when express-session writes a session', function () {
      it("keeps it for the cookie's remaining life (or browserSessionTtlMs), with the client", async function () {
        const { store, clock } = await harness().open({ browserSessionTtlMs: 2 * HOUR_MS });
        const express = new ExpressSessionStore(store);
        const set = promisify(express.set.bind(express));
        const [timed, browser, plain] = [newSessionId(), newSessionId(), newSessionId()];
        await set(timed, expressSession(signedIn('u1'), { maxAge: HOUR_MS, originalMaxAge: 3 * HOUR_MS }));
        await set(browser, expressSession(signedIn('u1'), { maxAge: null, originalMaxAge: null, expires: null }));
        await set(plain, { cookie: { originalMaxAge: 3 * HOUR_MS } } as unknown as SessionData);
        expect((await store.get(timed))?.expiresAt.getTime()).to.equal(clock.nowMs() + HOUR_MS);
        expect((await store.get(browser))?.expiresAt.getTime()).to.equal(clock.nowMs() + 2 * HOUR_MS);
        expect((await store.get(plain))?.expiresAt.getTime()).to.equal(clock.nowMs() + 3 * HOUR_MS);
        expect(await store.get(timed)).to.include({ ip: '198.51.100.4', userAgent: 'Safari/18' });
        expect(await store.get(plain)).to.include({ ip: null, userAgent: null });
      });
    });

    describe('when express-session reads, touches and destroys a session', function () {
      it('answers through the callbacks, null once destroyed', async function () {
        const { store, clock } = await harness().open();
        const express = new ExpressSessionStore(store);
        const id = newSessionId();
        const session = expressSession(signedIn('u1'), { maxAge: HOUR_MS });
        await promisify(express.set.bind(express))(id, session);
        const read = await promisify(express.get.bind(express))(id);
        expect(read).to.deep.equal({ passport: { user: 'u1' }, cookie: { maxAge: HOUR_MS } });
        clock.advance({ minutes: 5 });
        await promisify(express.touch.bind(express))(id, expressSession(signedIn('u1'), { maxAge: HOUR_MS }, '::1'));
        expect(await store.get(id)).to.include({ ip: '::1' });
        await promisify(express.destroy.bind(express))(id);
        expect(await promisify(express.get.bind(express))(id)).to.equal(null);
      });

      it('passes a store fault to the callback', async function () {
        const { store } = await harness().open();
        const express = new ExpressSessionStore(store);
        const error = await new Promise((resolve) =>
          express.set(newSessionId(), { cookie: {}, blob: 'x'.repeat(70_000) } as unknown as SessionData, resolve),
        );
        expect(error).to.be.instanceOf(RangeError);
      });
    });

    describe('when express-session asks about the whole store', function () {
      it("all lists the live sessions' data, length counts them, clear ends them", async function () {
        const { store } = await harness().open();
        const express = new ExpressSessionStore(store);
        const set = promisify(express.set.bind(express));
        await set(newSessionId(), expressSession({ n: 1 }, { maxAge: HOUR_MS }));
        await set(newSessionId(), expressSession({ n: 2 }, { maxAge: HOUR_MS }));
        const all = (await promisify(express.all.bind(express))()) as unknown as Array<{ n: number }>;
        expect(all.map((data) => data.n).sort()).to.deep.equal([1, 2]);
        expect(await promisify(express.length.bind(express))()).to.equal(2);
        await promisify(express.clear.bind(express))();
        expect(await promisify(express.length.bind(express))()).to.equal(0);
      });
    });
  });
});
