import { Keyring, TwoFactorService, type TwoFactorStore } from '@secondfactor/core';
import { createTwoFactorRouters, csrfTokenFromRequest, escapeHtml } from '@secondfactor/express';
import { setPendingSecondFactor, TotpStrategy } from '@secondfactor/passport-totp';
import { csrfSync } from 'csrf-sync';
import express, { type Express } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
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
  /** The session cookie's secret. */
  sessionSecret: string;
  /** A shared session store (Redis, database): regeneration then really kills the old session id. */
  sessionStore?: session.Store;
  /** The server clock; tests inject a fake one. */
  clock?: () => Date;
}

export function createApp({ users, store, twoFactorKeys, sessionSecret, sessionStore, clock }: AppOptions): Express {
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
  const passport = new Passport();
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
    getUser: (req) => req.user as User | undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
    successRedirect: '/clientarea',
    loginPath: '/login',
    layout: (_req, page) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)} | Acme Billing</title></head>` +
      `<body><header>Acme Billing</header><main>${page.body}</main></body></html>`,
  });

  // 4. Sessions, a body parser and CSRF come BEFORE passport and the routers.
  const app = express();
  app.use(
    session({
      name: 'acme.sid',
      secret: sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.use(express.json({ limit: '16kb' }), express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(csrfSync({ getTokenFromRequest: csrfTokenFromRequest }).csrfSynchronisedProtection);
  app.use(passport.initialize());
  app.use(passport.session());

  // 5. Your login: a correct password only leaves a pending second factor in the session.
  app.get('/login', (req, res) => {
    res.type('html')
      .send(`<form method="post" action="/login"><input type="hidden" name="_csrf" value="${escapeHtml(req.csrfToken!())}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Log in</button></form>`);
  });
  app.post('/login', (req, res, next) => {
    passport.authenticate('local', (err: unknown, user: User | false) => {
      if (err) return next(err);
      const wantsJson = req.accepts(['html', 'json']) === 'json';
      if (!user) {
        if (wantsJson)
          res.status(401).json({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' } });
        else res.status(401).send('Wrong email or password.');
        return;
      }
      service.status(user.id).then((status) => {
        if (!status.enabled) {
          return req.logIn(user, (loginErr) => {
            if (loginErr) return next(loginErr);
            if (wantsJson) res.json({ status: 'authenticated' });
            else res.redirect('/clientarea');
          });
        }
        // A fresh session id for the half-signed-in state, without any earlier login.
        req.session.regenerate((regenerateErr) => {
          if (regenerateErr) return next(regenerateErr);
          setPendingSecondFactor(req.session, { userId: user.id, now: service.clock() });
          if (wantsJson) res.json({ status: 'two-factor-required' });
          else res.redirect('/login/two-factor');
        });
      }, next);
    })(req, res, next);
  });
  // API clients read the CSRF token here and send it back as the x-csrf-token header.
  app.get('/session', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ csrfToken: req.csrfToken!(), user: (req.user as User | undefined)?.email ?? null });
  });
  app.post('/logout', (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.redirect('/login')));
  });

  // 6. Protected pages: the guard treats a pending second factor as signed out.
  app.get('/clientarea', twoFactor.requireSecondFactor(), (req, res) => {
    res.json({ invoices: [], user: (req.user as User).email });
  });
  app.get('/account/security', twoFactor.requireSecondFactor(), async (req, res, next) => {
    try {
      res.type('html').send(`<h1>Security Settings</h1>${await twoFactor.renderSecuritySection(req)}`);
    } catch (err) {
      next(err);
    }
  });

  app.use(twoFactor.management, twoFactor.challenge);
  // 7. csrf-sync's refusal as 403 TWO_FACTOR_CSRF, in HTML or JSON.
  app.use(twoFactor.csrfErrorHandler);
  return app;
}
