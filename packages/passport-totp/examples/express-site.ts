// Express 5 + express-session + Passport 0.7: the password with passport-local, then the second
// factor with TotpStrategy. Start it with `npx tsx express-site.ts`; it listens on PORT (3000).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { isTwoFactorError, Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import {
  isTotpFailureInfo,
  setPendingSecondFactor,
  TotpStrategy,
  type TotpStrategyInfo,
} from '@secondfactor/passport-totp';
import { decideAccess } from '@secondfactor/web';

// Your users table; here in memory. The stored password hash doubles as the password fingerprint.
interface User {
  id: string;
  email: string;
  passwordHash: string;
}
function hashPassword(password: string, salt = randomBytes(16).toString('hex')): string {
  return `${salt}:${scryptSync(password, salt, 32).toString('hex')}`;
}
function passwordMatches(user: User, password: string): boolean {
  const [salt, hash] = user.passwordHash.split(':');
  return timingSafeEqual(Buffer.from(hash, 'hex'), scryptSync(password, salt, 32));
}
export const users = new Map<string, User>([
  ['1', { id: '1', email: 'ada@example.com', passwordHash: hashPassword('correct horse battery staple') }],
]);
const findByEmail = (email: string) => [...users.values()].find((user) => user.email === email);

// The two-factor service. In production: the TypeORM store and keys from the environment.
export const service = new TwoFactorService({
  store: new MemoryTwoFactorStore(),
  keyring: Keyring.parse(process.env.SECONDFACTOR_KEYS ?? `dev:${randomBytes(32).toString('base64')}`),
  issuer: 'Acme Billing',
  verifyPassword: (userId, password) => {
    const user = users.get(userId);
    return user !== undefined && passwordMatches(user, password);
  },
});

const passport = new Passport();
passport.use(
  new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
    const user = findByEmail(email);
    done(null, user && passwordMatches(user, password) ? user : false);
  }),
);
const totp = new TotpStrategy({
  service,
  passwordFingerprint: (userId) => users.get(userId)?.passwordHash,
  loadUser: (userId) => users.get(userId) ?? null,
});
passport.use(totp);
passport.serializeUser((user, done) => done(null, (user as User).id));
passport.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));

export const app = express();
app.use(express.json({ limit: '16kb' }));
app.use(express.urlencoded({ extended: false, limit: '16kb' }));
app.use(
  session({
    secret: process.env.SESSION_SECRET ?? 'development only',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  }),
);
app.use(passport.initialize());
app.use(passport.session());

// Step 1: the password. With 2FA on, the session only gets the pending state.
app.post('/login', (req: Request, res: Response, next: NextFunction) => {
  passport.authenticate('local', (err: unknown, user: User | false) => {
    if (err) return next(err);
    if (!user)
      return res.status(401).json({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' } });
    service.status(user.id).then((status) => {
      if (!status.enabled)
        return req.logIn(user, (loginErr) => (loginErr ? next(loginErr) : res.json({ status: 'authenticated' })));
      req.session.regenerate((regenerateErr) => {
        if (regenerateErr) return next(regenerateErr);
        setPendingSecondFactor(req.session, { userId: user.id, fingerprint: user.passwordHash });
        res.json({ status: 'two-factor-required' });
      });
    }, next);
  })(req, res, next);
});

// Step 2: `code` or `backupCode` from the POST body. A 429 already carries Retry-After.
app.post('/login/two-factor', (req: Request, res: Response, next: NextFunction) => {
  res.set('Cache-Control', 'no-store');
  passport.authenticate('totp', (err: unknown, user: User | false, info?: TotpStrategyInfo) => {
    if (err) return next(err);
    if (!user || !info || isTotpFailureInfo(info)) {
      const failure = isTotpFailureInfo(info)
        ? info
        : { status: 401, code: 'TWO_FACTOR_INVALID_CODE', message: 'The code is not valid.' };
      return res.status(failure.status).json({ error: { code: failure.code, message: failure.message } });
    }
    // Passport 0.7 regenerates the session here: the signed-in session has a new id.
    req.logIn(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      res.json({ status: 'authenticated', backupCodes: info.backupCodes });
    });
  })(req, res, next);
});

// The one access decision of @secondfactor/web: a pending second factor is signed out (S20).
// With @secondfactor/express, use its requireSecondFactor() instead: the same decision, ready made.
function signedIn(req: Request, res: Response, next: NextFunction) {
  const decision = decideAccess({ user: req.user, loginState: totp.loginState(req.session) });
  if (decision.allowed) return next();
  if (req.accepts(['json', 'html']) === 'html') return res.redirect('/login');
  res.status(decision.status).json({ error: { code: decision.code } });
}

app.get('/clientarea', signedIn, (req: Request, res: Response) => {
  res.json({ email: (req.user as User).email });
});

app.post('/logout', (req: Request, res: Response, next: NextFunction) => {
  req.logout((err) => (err ? next(err) : res.json({ status: 'signed-out' })));
});

// Store outages arrive here as 503 TWO_FACTOR_UNAVAILABLE. Never send a 5xx message to the client.
app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
  const status = isTwoFactorError(err) ? err.status : 500;
  const code = isTwoFactorError(err) ? err.code : 'INTERNAL_ERROR';
  res.status(status).json({
    error: { code, message: status < 500 ? (err as Error).message : 'Something went wrong. Try again later.' },
  });
});

export const server = app.listen(Number(process.env.PORT ?? 3000));
