import type { SessionStore } from '@secondfactor/sessions';
import { ExpressSessionStore } from '@secondfactor/sessions/express';
import { RedisSessionStore } from '@secondfactor/sessions/redis';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import type { Redis } from 'ioredis';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';

/** The app's own users: it keeps its table and its password check. */
export interface Users {
  verify(email: string, password: string): Promise<{ id: string } | null>;
}

/** Sessions in the app's Redis (`new Redis(process.env.REDIS_URL)`): 30 minutes idle, 12 hours at most (S33). */
export function openSessions(redis: Redis): RedisSessionStore {
  return new RedisSessionStore(redis, { lifetime: { idleMinutes: 30, maxHours: 12 } });
}

/** An Express app whose sessions live in `sessions`, with the session list and revocation routes. */
export function createApp(options: { sessions: SessionStore; users: Users; secret: string }): express.Express {
  const { sessions, users } = options;
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      users.verify(email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  authenticator.serializeUser((user, done) => done(null, (user as { id: string }).id));
  authenticator.deserializeUser((id: string, done) => done(null, { id }));

  const app = express();
  // A browser-session cookie (no maxAge); the store ends the session when it is idle or too old.
  app.use(
    session({
      name: 'app.sid',
      secret: options.secret,
      store: new ExpressSessionStore(sessions),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.use(express.json());
  // Your CSRF middleware (csrf-sync) goes here: the routes below change state.
  app.use(authenticator.initialize());
  app.use(authenticator.session());

  // passport 0.7 regenerates the session on login: the old id is destroyed in the store.
  app.post('/login', authenticator.authenticate('local'), (_req, res) => {
    res.json({ status: 'authenticated' });
  });
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.json({ status: 'signed-out' })));
  });

  const account = express.Router();
  account.use((req: Request, res: Response, next: NextFunction) => {
    if (req.isAuthenticated()) next();
    else res.sendStatus(401);
  });
  const userId = (req: Request) => (req.user as { id: string }).id;
  account.get('/sessions', async (req, res) => {
    res.json({ sessions: await sessions.listSessions(userId(req), { currentSessionId: req.sessionID }) });
  });
  account.post('/sessions/revoke-others', async (req, res) => {
    res.json({ revoked: await sessions.revokeOtherSessions(userId(req), req.sessionID) });
  });
  account.post('/sessions/:id/revoke', async (req, res) => {
    res.sendStatus((await sessions.revokeSession(userId(req), String(req.params.id))) ? 204 : 404);
  });
  app.use('/account', account);
  return app;
}
