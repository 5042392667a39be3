import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { Keyring, TwoFactorService, type TwoFactorStore } from '@secondfactor/core';
import { createTwoFactorRouters, escapeHtml } from '@secondfactor/koa';
import { setPendingSecondFactor, TotpStrategy } from '@secondfactor/passport-totp';
import Koa from 'koa';
import CSRF from 'koa-csrf';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { Strategy as LocalStrategy } from 'passport-local';

/** Your users, as your app already stores them. */
export interface User {
  id: string;
  email: string;
  isSubAccount: boolean;
}

export interface Users {
  findById(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  checkPassword(userId: string, password: string): Promise<boolean>;
}

export interface AppOptions {
  users: Users;
  /** `new TypeOrmTwoFactorStore(dataSource)` in production. */
  store: TwoFactorStore;
  /** `kid:base64key` pairs, the first is current, e.g. process.env.TWO_FACTOR_KEYS. */
  twoFactorKeys: string;
  /** Cookie signing keys. */
  cookieKeys: string[];
  /** A shared session store (Redis, database): regeneration then really kills the old session id. */
  sessionStore?: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown, maxAge: number): Promise<void>;
    destroy(key: string): Promise<void>;
  };
  /** The server clock; tests inject a fake one. */
  clock?: () => Date;
}

export function createApp({
  users,
  store,
  twoFactorKeys,
  cookieKeys,
  sessionStore,
  clock = () => new Date(),
}: AppOptions): Koa {
  // 1. The two-factor service: issuer, eligibility (no 2FA for sub-accounts) and password re-authentication.
  const service = new TwoFactorService({
    store,
    keyring: Keyring.parse(twoFactorKeys),
    issuer: 'Acme Billing',
    verifyPassword: (userId, password) => users.checkPassword(userId, password),
    isEligible: async (userId) => (await users.findById(userId))?.isSubAccount === false,
    clock,
  });

  // 2. Passport: your password strategy, plus the TOTP strategy for the second step.
  const passport = new koaPassport.KoaPassport();
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      users
        .findByEmail(email)
        .then(async (user) => done(null, user && (await users.checkPassword(user.id, password)) ? user : false))
        .catch(done);
    }),
  );
  // The strategy reads the service's clock; the routers use it too.
  const totp = new TotpStrategy({ service, loadUser: (userId) => users.findById(userId) });
  passport.use(totp);
  passport.serializeUser((user, done) => done(null, (user as User).id));
  passport.deserializeUser((id: string, done) => {
    users.findById(id).then((user) => done(null, user ?? false), done);
  });

  // 3. The two-factor routes, after the strategies are registered.
  const twoFactor = createTwoFactorRouters<User>({
    service,
    strategy: totp,
    getUser: (ctx) => ctx.state.user as User | undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
    successRedirect: '/clientarea',
    loginPath: '/login',
    layout: (_ctx, page) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)} | Acme Billing</title></head>` +
      `<body><header>Acme Billing</header><main>${page.body}</main></body></html>`,
  });

  // 4. Sessions, a body parser and CSRF come BEFORE passport and the routers.
  const app = new Koa();
  app.keys = cookieKeys;
  app.use(
    session(
      { key: 'acme.sid', httpOnly: true, sameSite: 'lax', ...(sessionStore ? { store: sessionStore } : {}) },
      app,
    ),
  );
  app.use(bodyParser({ jsonLimit: '16kb', formLimit: '16kb' }));
  app.use(new CSRF({ errorHandler: twoFactor.csrfErrorHandler }));
  app.use(passport.initialize());
  app.use(passport.session());

  // 5. Your login: a correct password only leaves a pending second factor in the session.
  const router = new Router();
  router.get('/login', (ctx) => {
    ctx.type = 'html';
    ctx.body = `<form method="post" action="/login"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.state._csrf)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Log in</button></form>`;
  });
  router.post('/login', (ctx, next) =>
    passport.authenticate('local', async (err: unknown, user: User | false) => {
      if (err) throw err;
      const wantsJson = ctx.accepts('html', 'json') === 'json';
      if (!user) {
        ctx.status = 401;
        ctx.body = wantsJson
          ? { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' } }
          : 'Wrong email or password.';
        return;
      }
      if ((await service.status(user.id)).enabled) {
        // A fresh session id for the half-signed-in state; koa-session keeps the data, so drop any earlier login.
        await ctx.session!.regenerate();
        delete ctx.session!.passport;
        setPendingSecondFactor(ctx.session!, { userId: user.id, now: clock() });
        if (wantsJson) ctx.body = { status: 'two-factor-required' };
        else ctx.redirect('/login/two-factor');
        return;
      }
      await ctx.login(user);
      if (wantsJson) ctx.body = { status: 'authenticated' };
      else ctx.redirect('/clientarea');
    })(ctx, next),
  );
  // API clients read the CSRF token here and send it back as the x-csrf-token header.
  router.get('/session', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { csrfToken: ctx.state._csrf, user: (ctx.state.user as User | undefined)?.email ?? null };
  });
  router.post('/logout', async (ctx) => {
    await ctx.logout();
    ctx.redirect('/login');
  });

  // 6. Protected pages: the guard treats a pending second factor as signed out.
  router.get('/clientarea', twoFactor.requireSecondFactor(), (ctx) => {
    ctx.body = { invoices: [], user: (ctx.state.user as User).email };
  });
  router.get('/account/security', twoFactor.requireSecondFactor(), async (ctx) => {
    ctx.type = 'html';
    ctx.body = `<h1>Security Settings</h1>${await twoFactor.renderSecuritySection(ctx)}`;
  });

  app.use(router.routes());
  app.use(twoFactor.management.routes());
  app.use(twoFactor.challenge.routes());
  return app;
}
