/**
 * A real Koa app (koa-session 7, koa-passport, passport-local): the README's example app, on each
 * store, driven by several browsers end to end.
 */
import { createServer } from 'node:http';
import { createApp } from '../examples/koa-app';
import { koaSessionStore } from '../src/koa';
import { ALL_BACKENDS, forEachBackend } from './support/backends';
import { PASSWORD, runSessionAppScenarios } from './support/session-app-scenarios';
import * as chai from 'chai';

const { expect } = chai;

const USERS = new Map([
  ['ada@example.com', 1],
  ['bob@example.com', 2],
]);

describe('koaSessionStore', function () {
  forEachBackend(ALL_BACKENDS, (harness) => {
    runSessionAppScenarios(async () => {
      const { store, clock } = await harness().open({ lifetime: { idleMinutes: 30, maxHours: 12 } });
      const app = createApp({
        sessions: store,
        keys: ['a test signing key'],
        users: {
          verify: async (email, password) => {
            const id = USERS.get(email);
            return id !== undefined && password === PASSWORD ? { id } : null;
          },
        },
      });
      app.use(async (ctx, next) => {
        if (ctx.path !== '/visit') return next();
        ctx.session!.visits = Number(ctx.session!.visits ?? 0) + 1;
        ctx.body = { visits: ctx.session!.visits };
      });
      return {
        server: createServer(app.callback()),
        store,
        clock,
        userIds: { ada: 1, bob: 2 },
        sessionIdOf: (response) =>
          ([] as string[])
            .concat(response.headers['set-cookie'] ?? [])
            .map((cookie) => /^app\.sid=([^;]+)/.exec(cookie)?.[1])
            .find((value) => value !== undefined && value !== ''),
      };
    });
  });

  describe('when given something that is not a store', function () {
    it('refuses it at setup', function () {
      expect(() => koaSessionStore({} as never)).to.throw(TypeError, /SessionStore/);
    });
  });
});
