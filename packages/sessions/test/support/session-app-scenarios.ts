/**
 * End-to-end scenarios for a real app (koa-session or express-session) whose sessions live in one
 * of the stores: sign-in regenerates and indexes the session (S23, S33), the list marks the current
 * browser, revoking signs the other browser out at its next request, revoke-others keeps the
 * current one, sign-out and lifetimes end sessions on the server, and pruning removes them (S33).
 * Each browser is a supertest agent with its own cookie jar and User-Agent.
 */
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import type { FakeClock } from '@secondfactor/test-utils';
import * as chai from 'chai';
import supertest from 'supertest';
import { sessionHandle, type SessionStore, type UserSession } from '../../src';

const { expect } = chai;

/** The app under test, on a store with a fake clock. */
export interface SessionApp {
  server: Server;
  store: SessionStore;
  clock: FakeClock;
  /** The session id in a response's session cookie (undefined when it sets none). */
  sessionIdOf(response: supertest.Response): string | undefined;
  /** The user id each test account signs in as, as the app keys its users. */
  userIds: { ada: string | number; bob: string | number };
}

type Browser = ReturnType<typeof supertest.agent>;

/** The account password every test user has. */
export const PASSWORD = 'correct horse battery staple';

const MINUTE_MS = 60_000;

/** Registers the scenarios for the app `open` builds (on a fresh store each test). */
export function runSessionAppScenarios(open: () => Promise<SessionApp>): void {
  let app: SessionApp;
  const browsers: Browser[] = [];

  beforeEach(async function () {
    app = await open();
  });

  afterEach(function () {
    browsers.length = 0;
    app.server.close();
  });

  function browser(name: string): Browser {
    const agent = supertest.agent(app.server).set('User-Agent', `${name}/1.0`);
    browsers.push(agent);
    return agent;
  }

  async function signIn(agent: Browser, email: string): Promise<string> {
    const response = await agent.post('/login').send({ email, password: PASSWORD }).expect(200);
    const id = app.sessionIdOf(response);
    expect(id, 'signing in sets a session cookie').to.be.a('string');
    return id!;
  }

  async function listed(agent: Browser): Promise<UserSession[]> {
    const response = await agent.get('/account/sessions').expect(200);
    return (response.body as { sessions: UserSession[] }).sessions;
  }

  describe('when a user signs in', function () {
    it('S23: regenerates the session, kills the old id and indexes the new one (S33)', async function () {
      const ada = browser('ada-laptop');
      const before = app.sessionIdOf(await ada.get('/visit').expect(200));
      expect(before).to.be.a('string');
      expect(await app.store.get(before!)).to.not.equal(null);
      const after = await signIn(ada, 'ada@example.com');
      expect(after).to.not.equal(before);
      expect(await app.store.get(before!)).to.equal(null);
      const [only, ...rest] = await app.store.listSessions(app.userIds.ada);
      expect(rest).to.deep.equal([]);
      expect(only.id).to.equal(sessionHandle(after));
      expect(only.userAgent).to.equal('ada-laptop/1.0');
      expect(isIP(only.ip ?? '')).to.not.equal(0);
    });
  });

  describe('when a user lists their sessions', function () {
    it('S33: shows every browser of the user signed in, marks the asking one, never a session id', async function () {
      const [laptop, phone, other] = [browser('ada-laptop'), browser('ada-phone'), browser('bob')];
      const laptopId = await signIn(laptop, 'ada@example.com');
      app.clock.advance({ minutes: 2 });
      const phoneId = await signIn(phone, 'ada@example.com');
      await signIn(other, 'bob@example.com');
      const response = await laptop.get('/account/sessions').expect(200);
      const sessions = (response.body as { sessions: UserSession[] }).sessions;
      // Order aside: koa's read marks the asking session seen before the list is made, express's touch after.
      expect(sessions.map((s) => [s.id, s.current, s.userAgent])).to.have.deep.members([
        [sessionHandle(phoneId), false, 'ada-phone/1.0'],
        [sessionHandle(laptopId), true, 'ada-laptop/1.0'],
      ]);
      expect(response.text).to.not.include(laptopId).and.not.include(phoneId);
      expect((await listed(phone)).find((s) => s.current)?.id).to.equal(sessionHandle(phoneId));
    });
  });

  describe('when a user revokes a session', function () {
    it('S33: signs that browser out at its next request and keeps the revoking one signed in', async function () {
      const [laptop, phone] = [browser('ada-laptop'), browser('ada-phone')];
      await signIn(laptop, 'ada@example.com');
      const phoneId = await signIn(phone, 'ada@example.com');
      await phone.get('/account/sessions').expect(200);
      await laptop.post(`/account/sessions/${sessionHandle(phoneId)}/revoke`).expect(204);
      await phone.get('/account/sessions').expect(401);
      expect((await listed(laptop)).map((s) => s.current)).to.deep.equal([true]);
      await laptop.post(`/account/sessions/${sessionHandle(phoneId)}/revoke`).expect(404);
    });

    it('S33: "sign out all other sessions" ends every other browser and keeps the current one', async function () {
      const [laptop, phone, tablet, bob] = [browser('laptop'), browser('phone'), browser('tablet'), browser('bob')];
      const laptopId = await signIn(laptop, 'ada@example.com');
      await signIn(phone, 'ada@example.com');
      await signIn(tablet, 'ada@example.com');
      await signIn(bob, 'bob@example.com');
      const response = await laptop.post('/account/sessions/revoke-others').expect(200);
      expect(response.body).to.deep.equal({ revoked: 2 });
      await phone.get('/account/sessions').expect(401);
      await tablet.get('/account/sessions').expect(401);
      expect((await listed(laptop)).map((s) => [s.id, s.current])).to.deep.equal([[sessionHandle(laptopId), true]]);
      expect(await listed(bob)).to.have.length(1);
    });

    it("S33: cannot end another user's session, even knowing its handle", async function () {
      const [ada, bob] = [browser('ada'), browser('bob')];
      const adaId = await signIn(ada, 'ada@example.com');
      await signIn(bob, 'bob@example.com');
      await bob.post(`/account/sessions/${sessionHandle(adaId)}/revoke`).expect(404);
      await bob.post(`/account/sessions/${adaId}/revoke`).expect(404);
      expect(await listed(ada)).to.have.length(1);
    });
  });

  describe('when a user signs out', function () {
    it('takes the session out of the index, and its id stays dead', async function () {
      const [laptop, phone] = [browser('laptop'), browser('phone')];
      const laptopId = await signIn(laptop, 'ada@example.com');
      await signIn(phone, 'ada@example.com');
      await laptop.post('/logout').expect(200);
      expect(await app.store.get(laptopId)).to.equal(null);
      expect(await listed(phone)).to.have.length(1);
      await laptop.get('/account/sessions').expect(401);
    });
  });

  describe('when a session reaches its lifetime', function () {
    it('S33: ends an idle session on the server at its next request, and pruning removes it', async function () {
      const ada = browser('ada');
      const id = await signIn(ada, 'ada@example.com');
      app.clock.advance({ minutes: 29 });
      await ada.get('/account/sessions').expect(200);
      app.clock.advance({ minutes: 31 });
      await ada.get('/account/sessions').expect(401);
      expect(await app.store.get(id)).to.equal(null);
      expect(await app.store.pruneExpired()).to.be.at.least(1);
      expect(await app.store.listSessions(app.userIds.ada)).to.deep.equal([]);
    });

    it('S33: keeps an active session past the idle timeout, and ends it at the absolute lifetime', async function () {
      const ada = browser('ada');
      await signIn(ada, 'ada@example.com');
      const started = app.clock.nowMs();
      while (app.clock.nowMs() - started < 12 * 60 * MINUTE_MS - 20 * MINUTE_MS) {
        app.clock.advance({ minutes: 20 });
        await ada.get('/account/sessions').expect(200);
      }
      app.clock.advance({ minutes: 20 });
      await ada.get('/account/sessions').expect(401);
    });
  });
}
