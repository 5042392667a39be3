/**
 * The Express host of the adapter suite: a minimal existing Express 5 app that mounts the routers
 * the way the README says. express-session over an external store (so regeneration can kill a
 * session id, S23), express's body parsers, csrf-sync, passport 0.7 with passport-local and
 * TotpStrategy, both routers and the guard.
 */
import { TotpStrategy } from '@secondfactor/passport-totp';
import {
  createWorld,
  type AdapterHost,
  type AdapterHostOptions,
  type HostUser,
  type SessionUser,
} from '@secondfactor/test-utils';
import { csrfSync } from 'csrf-sync';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import {
  createTwoFactorRouters,
  csrfTokenFromRequest,
  type TwoFactorRouters,
  type TwoFactorRoutesOptions,
} from '../../src';

/** The suite's host, with the Express app and the routers for Express-only tests. */
export interface ExpressHost extends AdapterHost {
  app: Express;
  twoFactor: TwoFactorRouters;
}

/** express-session's store over a Map, so tests can read and change what the store holds. */
class MapStore extends session.Store {
  constructor(readonly sessions: Map<string, Record<string, unknown>>) {
    super();
  }

  override get(sid: string, done: (error: unknown, data?: session.SessionData | null) => void): void {
    const data = this.sessions.get(sid);
    done(null, data ? (JSON.parse(JSON.stringify(data)) as session.SessionData) : null);
  }

  override set(sid: string, data: session.SessionData, done?: (error?: unknown) => void): void {
    this.sessions.set(sid, JSON.parse(JSON.stringify(data)) as Record<string, unknown>);
    done?.();
  }

  override destroy(sid: string, done?: (error?: unknown) => void): void {
    this.sessions.delete(sid);
    done?.();
  }
}

/** Builds the Express host (see `AdapterHostOptions` for what it serves). */
export function createHost(options: AdapterHostOptions = {}): ExpressHost {
  const world = options.world ?? createWorld();
  const { users, service } = world;
  const passport = new Passport();
  const publicUser = (user: HostUser | undefined): SessionUser | false =>
    user ? { id: user.id, email: user.email } : false;
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      const user = [...users.values()].find((candidate) => candidate.email === email);
      done(null, user && user.password === password ? publicUser(user) : false);
    }),
  );
  // No clock here: the strategy and the routers default to the service's (the world's fake clock).
  const totp = new TotpStrategy({ service, loadUser: (userId) => publicUser(users.get(userId)) });
  passport.use(totp);
  passport.serializeUser((user, done) => done(null, (user as SessionUser).id));
  passport.deserializeUser((id: string, done) => done(null, publicUser(users.get(id))));

  const errors: unknown[] = [];
  const twoFactor = createTwoFactorRouters<SessionUser>({
    service,
    strategy: totp,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
    successRedirect: '/clientarea',
    loginPath: '/login',
    onError: (error) => errors.push(error),
    // The suite's overrides are typed for any adapter; this host's users have string ids.
    ...(options.routes as Partial<TwoFactorRoutesOptions<SessionUser, 'string'>>),
  });

  const sessions = new Map<string, Record<string, unknown>>();
  const app = express();
  app.use(
    session({
      name: 'sid',
      secret: 'host test secret',
      store: new MapStore(sessions),
      resave: false,
      saveUninitialized: false,
    }),
  );
  const bodyParsers = [express.json({ limit: '1mb' }), express.urlencoded({ extended: false, limit: '1mb' })];
  if (options.hostBodyParser !== false) app.use(bodyParsers);
  // The routers' csrf-sync set-up, or plain csrf-sync with its own refusal.
  if (options.csrf !== false)
    app.use(
      options.csrfErrorHandler === false
        ? csrfSync({ getTokenFromRequest: csrfTokenFromRequest }).csrfSynchronisedProtection
        : twoFactor.csrfProtection(),
    );
  app.use(passport.initialize());
  app.use(passport.session());

  // Without an app-wide body parser, the host still parses its own login form.
  const loginBody = options.hostBodyParser === false ? bodyParsers : [];
  // The password step as middleware after passport-local (no session of its own: the step makes it).
  app.post('/login', ...loginBody, passport.authenticate('local', { session: false }), twoFactor.passwordStep());
  app.get('/session', (req, res) => {
    res.json({
      sessionId: req.sessionID ?? null,
      csrfToken: typeof req.csrfToken === 'function' ? req.csrfToken() : null,
      user: req.user ?? null,
      pending: Boolean((req.session as unknown as Record<string, unknown>).secondFactor),
    });
  });
  app.get('/clientarea', twoFactor.requireSecondFactor(), (req, res) => {
    res.json({ area: 'client', user: req.user });
  });
  app.get('/reports', twoFactor.requireSecondFactor({ redirectTo: '/sign-in' }), (_req, res) => {
    res.json({ area: 'reports' });
  });
  app.get('/billing', twoFactor.requireRecentSecondFactor({ maxAgeSeconds: 60 }), (_req, res) => {
    res.json({ area: 'billing' });
  });
  app.get('/account/security', twoFactor.requireSecondFactor(), async (req, res) => {
    const section = await twoFactor.renderSecuritySection(req);
    res.type('html').send(`<!doctype html><title>Security Settings</title><h1>Security Settings</h1>${section}`);
  });
  app.get('/embed', async (req, res) => {
    res.type('html').send(`[${await twoFactor.renderSecuritySection(req)}]`);
  });
  const { addressThrottle } = options;
  if (addressThrottle) {
    app.set('trust proxy', 1);
    app.post('/register', twoFactor.limitAttemptsByAddress(addressThrottle), (_req, res) => {
      res.status(201).json({ status: 'registered' });
    });
  }
  app.use(twoFactor.management, twoFactor.challenge);
  // Harmless beside csrfProtection(), which answers refusals itself: the handler passes other errors on.
  if (options.csrf !== false && options.csrfErrorHandler !== false) app.use(twoFactor.csrfErrorHandler);
  // The host's own error handler, e.g. for its body parser's 400s; Express's default one would log a stack.
  app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
    res.status(status).json({ error: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL', message: 'Refused.' } });
  });
  return { app, listener: app, world, twoFactor, sessions, errors };
}
