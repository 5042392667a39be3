/**
 * The guards of Express and Koa, run as real middleware. A tiny preceding middleware plays
 * Passport and the session store, set per request by the `x-state` header.
 */
import * as chai from 'chai';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import { ConfigurationError } from '@secondfactor/core';
import {
  ensureSecondFactor,
  ensureSecondFactorKoa,
  PENDING_SECOND_FACTOR_KEY,
  type EnsureSecondFactorOptions,
} from '../src';

const { expect } = chai;

type State = 'anonymous' | 'signed-in' | 'pending' | 'signed-in+pending' | 'no-passport';

/** The session and Passport state each `x-state` stands for. */
function stateOf(header: unknown): { session: Record<string, unknown>; isAuthenticated?: () => boolean } {
  const state = (typeof header === 'string' ? header : 'anonymous') as State;
  const session: Record<string, unknown> = {};
  if (state.startsWith('signed-in')) session.passport = { user: 'u-1' };
  if (state.endsWith('pending')) session[PENDING_SECOND_FACTOR_KEY] = { userId: 'u-1', expiresAt: Date.now() + 60_000 };
  if (state === 'no-passport') return { session };
  return { session, isAuthenticated: () => Boolean(session.passport) };
}

function expressSite(options?: EnsureSecondFactorOptions): RequestListener {
  const app = express();
  app.use((req, _res, next) => {
    Object.assign(req, stateOf(req.headers['x-state']));
    next();
  });
  app.get('/clientarea', ensureSecondFactor(options), (_req, res) => {
    res.json({ invoices: [] });
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: { code: err.name } });
  });
  return app;
}

function koaSite(options?: EnsureSecondFactorOptions): RequestListener {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = 500;
      ctx.body = { error: { code: (err as Error).name } };
    }
  });
  app.use(async (ctx, next) => {
    Object.assign(ctx, stateOf(ctx.get('x-state')));
    await next();
  });
  app.use(ensureSecondFactorKoa(options));
  app.use((ctx) => {
    ctx.body = { invoices: [] };
  });
  return app.callback();
}

const SITES: Array<
  [string, (options?: EnsureSecondFactorOptions) => RequestListener, (options: EnsureSecondFactorOptions) => unknown]
> = [
  ['ensureSecondFactor (Express)', expressSite, (options) => ensureSecondFactor(options)],
  ['ensureSecondFactorKoa (Koa)', koaSite, (options) => ensureSecondFactorKoa(options)],
];

for (const [name, site, build] of SITES) {
  describe(name, () => {
    const get = (state: State, accept = 'application/json', options?: EnsureSecondFactorOptions) =>
      request(site(options)).get('/clientarea').set('x-state', state).set('Accept', accept);

    describe('when the session is fully signed in', () => {
      it('lets the request through', async () => {
        const res = await get('signed-in');
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ invoices: [] });
      });
    });

    describe('when the session is not fully signed in', () => {
      const refused: Array<[string, State]> = [
        ['nobody signed in', 'anonymous'],
        ['S20: only a pending second factor', 'pending'],
        ['S20: a signed-in user who started a new password login', 'signed-in+pending'],
      ];
      for (const [label, state] of refused) {
        it(`answers 401 JSON for ${label}`, async () => {
          const res = await get(state);
          expect(res.status).to.equal(401);
          expect(res.body).to.deep.equal({
            error: { code: 'AUTHENTICATION_REQUIRED', message: 'Sign in to continue.' },
          });
        });
      }

      it('S20: redirects a browser to redirectTo, but still answers JSON clients with 401', async () => {
        const html = await get('pending', 'text/html,application/xhtml+xml', { redirectTo: '/login' });
        expect(html.status).to.equal(302);
        expect(html.headers.location).to.equal('/login');
        const json = await get('pending', 'application/json', { redirectTo: '/login' });
        expect(json.status).to.equal(401);
      });

      it('answers 401 to a browser when no redirectTo is set', async () => {
        expect((await get('pending', 'text/html')).status).to.equal(401);
      });
    });

    describe('when Passport is not mounted', () => {
      it('refuses with a configuration error instead of guessing open', async () => {
        const res = await get('no-passport');
        expect(res.status).to.equal(500);
        expect(res.body).to.deep.equal({ error: { code: 'ConfigurationError' } });
      });
    });

    describe('when given bad options', () => {
      it('fails fast at setup', () => {
        expect(() => build({ redirectTo: '' })).to.throw(ConfigurationError);
        expect(() => build(null as unknown as EnsureSecondFactorOptions)).to.throw(ConfigurationError);
      });
    });
  });
}
