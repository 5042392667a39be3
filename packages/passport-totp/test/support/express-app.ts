/**
 * A small Express 5 site wired as the README shows: passport-local for the password, the pending
 * state in between, TotpStrategy for the second step, and a guard from @secondfactor/web's decideAccess.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
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

export function createExpressApp(fixture: Fixture): AppUnderTest {
  const passport = new Passport();
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

  const sessions = new session.MemoryStore();
  const app = express();
  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false, store: sessions }));
  app.use(passport.initialize());
  app.use(passport.session());

  app.post('/login', (req: Request, res: Response, next: NextFunction) => {
    passport.authenticate('local', (err: unknown, user: PublicUser | false) => {
      if (err) return next(err);
      if (!user)
        return res.status(401).json({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password.' } });
      fixture.service.status(user.id).then((status) => {
        if (!status.enabled) {
          return req.logIn(user, (loginErr) => (loginErr ? next(loginErr) : res.json({ status: 'authenticated' })));
        }
        // A fresh session for the half-signed-in state: no fixation across the password step.
        req.session.regenerate((regenerateErr) => {
          if (regenerateErr) return next(regenerateErr);
          setPendingSecondFactor(req.session, {
            userId: user.id,
            fingerprint: fixture.users.get(user.id)!.passwordHash,
            now: fixture.clock(),
          });
          res.json({ status: 'two-factor-required' });
        });
      }, next);
    })(req, res, next);
  });

  app.post('/login/two-factor', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    passport.authenticate('totp', (err: unknown, user: PublicUser | false, info?: TotpStrategyInfo) => {
      if (err) return next(err);
      if (!user || !info || isTotpFailureInfo(info)) {
        const failure = isTotpFailureInfo(info)
          ? info
          : { status: 401, code: 'TWO_FACTOR_INVALID_CODE', message: 'The code is not valid.' };
        return res.status(failure.status).json({ error: { code: failure.code, message: failure.message } });
      }
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        res.json({ status: 'authenticated', method: info.method, backupCodes: info.backupCodes });
      });
    })(req, res, next);
  });

  app.get('/session', (req: Request, res: Response) => {
    res.json({
      sessionId: req.sessionID,
      user: req.user ?? null,
      pending: getPendingSecondFactor(req.session, fixture.clock()) !== null,
    });
  });

  // The one access decision of @secondfactor/web: a pending second factor is signed out (S20).
  const signedIn = (req: Request, res: Response, next: NextFunction) => {
    const decision = decideAccess({ user: req.user, loginState: totp.loginState(req.session) });
    if (decision.allowed) return next();
    if (req.accepts(['json', 'html']) === 'html') return res.redirect('/login');
    res.status(decision.status).json({ error: { code: decision.code } });
  };
  app.get('/protected', signedIn, (req: Request, res: Response) => {
    res.json({ invoices: [], user: req.user });
  });

  app.post('/logout', (req: Request, res: Response, next: NextFunction) => {
    req.logout((err) => (err ? next(err) : res.json({ status: 'signed-out' })));
  });

  // Only exposed 4xx messages reach the client; a 5xx never shows its message (house style).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = isTwoFactorError(err) ? err.status : 500;
    const code = isTwoFactorError(err) ? err.code : 'INTERNAL_ERROR';
    res.status(status).json({
      error: { code, message: status < 500 ? (err as Error).message : 'Something went wrong. Try again later.' },
    });
  });

  return {
    framework: 'express',
    handler: app,
    sessionExists: (id) =>
      new Promise((resolve, reject) => sessions.get(id, (err, data) => (err ? reject(err) : resolve(Boolean(data))))),
  };
}
