/**
 * A real Express app (express-session, passport, passport-local): the README's example app, on
 * each store, driven by several browsers end to end.
 */
import { createServer } from 'node:http';
import * as chai from 'chai';
import { createApp } from '../examples/express-app';
import { ExpressSessionStore } from '../src/express';
import { ALL_BACKENDS, forEachBackend } from './support/backends';
import { PASSWORD, runSessionAppScenarios } from './support/session-app-scenarios';

const { expect } = chai;

const USERS = new Map([
  ['ada@example.com', 'user-ada'],
  ['bob@example.com', 'user-bob'],
]);

describe('ExpressSessionStore', function () {
  forEachBackend(ALL_BACKENDS, (harness) => {
    runSessionAppScenarios(async () => {
      const { store, clock } = await harness().open({ lifetime: { idleMinutes: 30, maxHours: 12 } });
      const app = createApp({
        sessions: store,
        secret: 'a test signing secret',
        users: {
          verify: async (email, password) => {
            const id = USERS.get(email);
            return id !== undefined && password === PASSWORD ? { id } : null;
          },
        },
      });
      app.get('/visit', (req, res) => {
        const data = req.session as unknown as { visits?: number };
        data.visits = (data.visits ?? 0) + 1;
        res.json({ visits: data.visits });
      });
      return {
        server: createServer(app),
        store,
        clock,
        userIds: { ada: 'user-ada', bob: 'user-bob' },
        // express-session signs the id: `s:<id>.<signature>`, URL-encoded.
        sessionIdOf: (response) =>
          ([] as string[])
            .concat(response.headers['set-cookie'] ?? [])
            .map((cookie) => /^app\.sid=([^;]+)/.exec(cookie)?.[1])
            .filter((value): value is string => Boolean(value))
            .map((value) => /^s:(.+)\.[^.]+$/.exec(decodeURIComponent(value))?.[1])
            .find((value) => value !== undefined),
      };
    });
  });

  describe('when given something that is not a store', function () {
    it('refuses it at setup', function () {
      expect(() => new ExpressSessionStore({} as never)).to.throw(TypeError, /SessionStore/);
    });
  });
});
