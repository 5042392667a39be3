/**
 * The wiring of docs/integrate-koa.md over in-memory stores, so the package's tests can run it: the
 * same calls, with your users, store and keys passed in.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { Keyring, TwoFactorService, type TwoFactorStore } from '@secondfactor/core';
import { createTwoFactorRouters, csrfField, escapeHtml } from '@secondfactor/koa';
import Koa from 'koa';
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
  /** `kid:base64key` pairs, the first is current, e.g. process.env.SECONDFACTOR_KEYS. */
  twoFactorKeys: string;
  /** Cookie signing keys. */
  cookieKeys: string[];
  /** A server-side session store: `koaSessionStore(new TypeOrmSessionStore(dataSource))` in production. */
  sessionStore?: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown, maxAge: number): Promise<void>;
    destroy(key: string): Promise<void>;
  };
  /** The server clock; tests inject a fake one. */
  clock?: () => Date;
}

export function createApp({ users, store, twoFactorKeys, cookieKeys, sessionStore, clock }: AppOptions): Koa {
  const service = new TwoFactorService({
    store,
    keyring: Keyring.parse(twoFactorKeys),
    issuer: 'Acme Billing',
    verifyPassword: (userId, password) => users.checkPassword(userId, password),
    isEligible: async (userId) => (await users.findById(userId))?.isSubAccount === false,
    clock,
  });
  const twoFactor = createTwoFactorRouters({
    service,
    loadUser: (userId) => users.findById(userId),
    successRedirect: '/clientarea',
    layout: (_ctx, page) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)} | Acme Billing</title></head>` +
      `<body><header>Acme Billing</header><main>${page.body}</main></body></html>`,
  });

  const passport = new koaPassport.KoaPassport();
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      users
        .findByEmail(email)
        .then(async (user) => done(null, user && (await users.checkPassword(user.id, password)) ? user : false))
        .catch(done);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as User).id));
  passport.deserializeUser((id: string, done) => {
    users.findById(id).then((user) => done(null, user ?? false), done);
  });

  const app = new Koa();
  app.keys = cookieKeys;
  app.use(
    session(
      { key: 'acme.sid', httpOnly: true, sameSite: 'lax', ...(sessionStore ? { store: sessionStore } : {}) },
      app,
    ),
  );
  app.use(bodyParser({ jsonLimit: '16kb', formLimit: '16kb' }));
  app.use(twoFactor.csrfProtection());
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(twoFactor.management.routes()).use(twoFactor.challenge.routes());

  const router = new Router();
  router.get('/login', (ctx) => {
    ctx.type = 'html';
    ctx.body = `<form method="post" action="/login">${csrfField(ctx.state._csrf)}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Log in</button></form>`;
  });
  // The password step: with 2FA on, only a pending second factor; the code page comes next.
  router.post('/login', passport.authenticate('local', { session: false }), twoFactor.passwordStep());
  // API clients read the CSRF token here and send it back as the x-csrf-token header.
  router.get('/session', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { csrfToken: ctx.state._csrf, user: (ctx.state.user as User | undefined)?.email ?? null };
  });
  router.post('/logout', async (ctx) => {
    await ctx.logout();
    ctx.redirect('/login');
  });
  router.get('/clientarea', twoFactor.requireSecondFactor(), (ctx) => {
    ctx.body = { invoices: [], user: (ctx.state.user as User).email };
  });
  router.get('/account/security', twoFactor.requireSecondFactor(), async (ctx) => {
    ctx.type = 'html';
    ctx.body = `<h1>Security Settings</h1>${await twoFactor.renderSecuritySection(ctx)}`;
  });
  app.use(router.routes());
  return app;
}
