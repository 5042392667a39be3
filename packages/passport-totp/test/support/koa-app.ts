/**
 * A small Koa 3 site wired as the README shows: koa-session 7 over an external store (so a
 * session has an id that regeneration can kill, S23), koa-passport 6, passport-local for the
 * password, TotpStrategy for the second step, and a guard from @secondfactor/web's decideAccess.
 */
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import session from 'koa-session';
import koaPassport from 'koa-passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { isTwoFactorError } from '@secondfactor/core';
import {
  getPendingSecondFactor,
  isTotpFailureInfo,
  setPendingSecondFactor,
  TotpStrategy,
  type TotpStrategyInfo,
} from '../../src';
import { decideAccess } from '@secondfactor/web';
import type { Fixture, PublicUser } from './fixture';
import type { AppUnderTest } from './app-under-test';

export function createKoaApp(fixture: Fixture): AppUnderTest {
  const passport = new koaPassport.KoaPassport();
  passport.use(
    new LocalStrategy((username, password, done) => {
      const user = fixture.findByUsername(username);
      done(null, (user && user.password === password && fixture.publicUser(user.id)) || false);
    }),
  );
  const totp = new TotpStrategy({
    service: fixture.service,
    clock: fixture.clock,
    passwordFingerprint: (userId) => fixture.users.get(userId)?.passwordHash,
    loadUser: (userId) => fixture.publicUser(userId),
  });
  passport.use(totp);
  passport.serializeUser((user, done) => done(null, (user as PublicUser).id));
  passport.deserializeUser((id: string, done) => done(null, fixture.publicUser(id) ?? false));

  const sessions = new Map<string, unknown>();
  const app = new Koa();
  app.keys = ['test key'];
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const status = isTwoFactorError(err) ? err.status : 500;
      ctx.status = status;
      ctx.body = {
        error: {
          code: isTwoFactorError(err) ? err.code : 'INTERNAL_ERROR',
          message: status < 500 ? (err as Error).message : 'Something went wrong. Try again later.',
        },
      };
    }
  });
  app.use(
    session(
      {
        key: 'sid',
        store: {
          get: async (key: string) => sessions.get(key),
          set: async (key: string, value: unknown) => void sessions.set(key, value),
          destroy: async (key: string) => void sessions.delete(key),
        },
      },
      app,
    ),
  );
  app.use(bodyParser({ jsonLimit: '16kb', formLimit: '16kb' }));
  app.use(passport.initialize());
  app.use(passport.session());

  const router = new Router();
  router.post('/login', (ctx, next) =>
    passport.authenticate('local', async (err: unknown, user: PublicUser | false) => {
      if (err) throw err;
      if (!user) {
        ctx.status = 401;
        ctx.body = { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password.' } };
        return;
      }
      if (!(await fixture.service.status(user.id)).enabled) {
        await ctx.login(user);
        ctx.body = { status: 'authenticated' };
        return;
      }
      // A fresh session id for the half-signed-in state. koa-session keeps the data across
      // regenerate, so an earlier login is dropped explicitly.
      await ctx.session!.regenerate();
      delete ctx.session!.passport;
      setPendingSecondFactor(ctx.session!, {
        userId: user.id,
        fingerprint: fixture.users.get(user.id)!.passwordHash,
        now: fixture.clock(),
      });
      ctx.body = { status: 'two-factor-required' };
    })(ctx, next),
  );

  router.post('/login/two-factor', (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    return passport.authenticate('totp', async (err: unknown, user: PublicUser | false, info?: TotpStrategyInfo) => {
      if (err) throw err;
      if (!user || !info || isTotpFailureInfo(info)) {
        const failure = isTotpFailureInfo(info)
          ? info
          : { status: 401, code: 'TWO_FACTOR_INVALID_CODE', message: 'The code is not valid.' };
        ctx.status = failure.status;
        ctx.body = { error: { code: failure.code, message: failure.message } };
        return;
      }
      await ctx.login(user);
      ctx.body = { status: 'authenticated', method: info.method, backupCodes: info.backupCodes };
    })(ctx, next);
  });

  router.get('/session', (ctx) => {
    ctx.body = {
      sessionId: ctx.session!.externalKey,
      user: ctx.state.user ?? null,
      pending: getPendingSecondFactor(ctx.session, fixture.clock()) !== null,
    };
  });

  // The one access decision of @secondfactor/web: a pending second factor is signed out (S20).
  const signedIn: Koa.Middleware = async (ctx, next) => {
    const user = ctx.isAuthenticated() ? ctx.state.user : undefined;
    const decision = decideAccess({ user, loginState: totp.loginState(ctx.session) });
    if (decision.allowed) return next();
    if (ctx.accepts('json', 'html') === 'html') return ctx.redirect('/login');
    ctx.status = decision.status;
    ctx.body = { error: { code: decision.code } };
  };
  router.get('/protected', signedIn, (ctx) => {
    ctx.body = { invoices: [], user: ctx.state.user };
  });

  router.post('/logout', async (ctx) => {
    await ctx.logout();
    ctx.body = { status: 'signed-out' };
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  return {
    framework: 'koa',
    handler: app.callback(),
    sessionExists: async (id) => sessions.has(id),
  };
}
