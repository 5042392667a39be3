/**
 * The wiring of docs/integrate-express.md over in-memory stores, so the package's tests can run it:
 * the same calls, with your users, store and keys passed in.
 */
import { Keyring, TwoFactorService, type TwoFactorStore } from '@secondfactor/core';
import { createTwoFactorRouters, csrfField, escapeHtml } from '@secondfactor/express';
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
  /** `kid:base64key` pairs, the first is current, e.g. process.env.SECONDFACTOR_KEYS. */
  twoFactorKeys: string;
  /** The session cookie's secret. */
  sessionSecret: string;
  /** A server-side session store: `new ExpressSessionStore(new TypeOrmSessionStore(dataSource))` in production. */
  sessionStore?: session.Store;
  /** The server clock; tests inject a fake one. */
  clock?: () => Date;
}

export function createApp({ users, store, twoFactorKeys, sessionSecret, sessionStore, clock }: AppOptions): Express {
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
    layout: (_req, page) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)} | Acme Billing</title></head>` +
      `<body><header>Acme Billing</header><main>${page.body}</main></body></html>`,
  });

  const passport = new Passport();
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
  app.use(twoFactor.csrfProtection());
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(twoFactor.management, twoFactor.challenge);

  app.get('/login', (req, res) => {
    res.type('html').send(`<form method="post" action="/login">${csrfField(req.csrfToken?.())}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Log in</button></form>`);
  });
  // The password step: with 2FA on, only a pending second factor; the code page comes next.
  app.post('/login', passport.authenticate('local', { session: false }), twoFactor.passwordStep());
  // API clients read the CSRF token here and send it back as the x-csrf-token header.
  app.get('/session', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ csrfToken: req.csrfToken?.(), user: (req.user as User | undefined)?.email ?? null });
  });
  app.post('/logout', (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.redirect('/login')));
  });
  app.get('/clientarea', twoFactor.requireSecondFactor(), (req, res) => {
    res.json({ invoices: [], user: (req.user as User).email });
  });
  app.get('/account/security', twoFactor.requireSecondFactor(), async (req, res) => {
    res.type('html').send(`<h1>Security Settings</h1>${await twoFactor.renderSecuritySection(req)}`);
  });
  return app;
}
