/**
 * The Koa host of the adapter suite: a minimal existing Koa app that mounts the routers the way the
 * README says. koa-session 7 over an external store (so regeneration can kill a session id, S23),
 * @koa/bodyparser, koa-csrf 5, koa-passport 6 with passport-local, both routers (with the
 * TotpStrategy they build from loadUser) and the guard.
 */
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import CSRF from 'koa-csrf';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { Strategy as LocalStrategy } from 'passport-local';
import {
  createWorld,
  type AdapterHost,
  type AdapterHostOptions,
  type HostUser,
  type SessionUser,
} from '@secondfactor/test-utils';
import { createTwoFactorRouters, type TwoFactorRouters, type TwoFactorRoutesOptions } from '../../src';

/** The suite's host, with the Koa app and the routers for Koa-only tests. */
export interface KoaHost extends AdapterHost {
  app: Koa;
  twoFactor: TwoFactorRouters;
}

/** Builds the Koa host (see `AdapterHostOptions` for what it serves). */
export function createHost(options: AdapterHostOptions = {}): KoaHost {
  const world = options.world ?? createWorld();
  const { users, service } = world;
  const passport = new koaPassport.KoaPassport();
  const publicUser = (user: HostUser | undefined): SessionUser | false =>
    user ? { id: user.id, email: user.email } : false;
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      const user = [...users.values()].find((candidate) => candidate.email === email);
      done(null, user && user.password === password ? publicUser(user) : false);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as SessionUser).id));
  passport.deserializeUser((id: string, done) => done(null, publicUser(users.get(id))));

  // The routers build their TotpStrategy from loadUser; with no clock, it reads the service's (the world's fake one).
  const twoFactor = createTwoFactorRouters<SessionUser>({
    service,
    loadUser: (userId) => publicUser(users.get(userId)),
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
    successRedirect: '/clientarea',
    loginPath: '/login',
    // The suite's overrides are typed for any adapter; this host's users have string ids.
    ...(options.routes as Partial<TwoFactorRoutesOptions<SessionUser, 'string'>>),
  });

  const sessions = new Map<string, Record<string, unknown>>();
  const errors: unknown[] = [];
  const app = new Koa();
  app.keys = ['host test key'];
  app.silent = true;
  app.on('error', (error) => errors.push(error));
  app.use(
    session(
      {
        key: 'sid',
        store: {
          get: async (key: string) => sessions.get(key),
          set: async (key: string, value: Record<string, unknown>) => void sessions.set(key, value),
          destroy: async (key: string) => void sessions.delete(key),
        },
      },
      app,
    ),
  );
  if (options.hostBodyParser !== false) app.use(bodyParser({ jsonLimit: '1mb', formLimit: '1mb' }));
  // The routers' koa-csrf set-up, or plain koa-csrf with its own refusal.
  if (options.csrf !== false) app.use(options.csrfErrorHandler === false ? new CSRF() : twoFactor.csrfProtection());
  app.use(passport.initialize());
  app.use(passport.session());

  const router = new Router();
  // Without an app-wide body parser, the host still parses its own login form.
  const loginBody = options.hostBodyParser === false ? [bodyParser()] : [];
  router.post('/login', ...loginBody, (ctx, next) =>
    passport.authenticate('local', async (err: unknown, user: SessionUser | false) => {
      if (err) throw err;
      if (!user) {
        ctx.status = 401;
        ctx.body = { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' } };
        return;
      }
      const step = await twoFactor.beginSecondFactor(ctx, user);
      if (ctx.accepts('json', 'html') === 'html') ctx.redirect(step.redirectTo);
      else ctx.body = { status: step.status };
    })(ctx, next),
  );
  // The same step as middleware, for the Koa-only tests of passwordStep().
  router.post('/sign-in', ...loginBody, passport.authenticate('local', { session: false }), twoFactor.passwordStep());
  router.get('/session', (ctx) => {
    ctx.body = {
      sessionId: ctx.session!.externalKey ?? null,
      csrfToken: ctx.state._csrf ?? null,
      user: ctx.state.user ?? null,
      pending: Boolean(ctx.session!.secondFactor),
    };
  });
  router.get('/clientarea', twoFactor.requireSecondFactor(), (ctx) => {
    ctx.body = { area: 'client', user: ctx.state.user };
  });
  router.get('/reports', twoFactor.requireSecondFactor({ redirectTo: '/sign-in' }), (ctx) => {
    ctx.body = { area: 'reports' };
  });
  router.get('/billing', twoFactor.requireRecentSecondFactor({ maxAgeSeconds: 60 }), (ctx) => {
    ctx.body = { area: 'billing' };
  });
  router.get('/account/security', twoFactor.requireSecondFactor(), async (ctx) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Security Settings</title><h1>Security Settings</h1>${await twoFactor.renderSecuritySection(ctx)}`;
  });
  router.get('/embed', async (ctx) => {
    ctx.type = 'html';
    ctx.body = `[${await twoFactor.renderSecuritySection(ctx)}]`;
  });
  const { addressThrottle } = options;
  if (addressThrottle) {
    app.proxy = true;
    router.post('/register', twoFactor.limitAttemptsByAddress(addressThrottle), (ctx) => {
      ctx.status = 201;
      ctx.body = { status: 'registered' };
    });
  }
  app.use(router.routes());
  app.use(twoFactor.management.routes());
  app.use(twoFactor.challenge.routes());
  return { app, listener: app.callback(), world, twoFactor, sessions, errors };
}
