// Koa 3 + koa-session 7 + koa-passport 6 (on Passport 0.7): the password with passport-local, then
// the second factor with TotpStrategy. Start it with `npx tsx koa-site.ts`; it listens on PORT (3000).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import session from 'koa-session';
import koaPassport from 'koa-passport';
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

// An instance, not the koa-passport singleton: no state shared with other apps in the process.
const passport = new koaPassport.KoaPassport();
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

export const app = new Koa();
app.keys = [process.env.SESSION_KEY ?? 'development only'];

// Store outages arrive here as 503 TWO_FACTOR_UNAVAILABLE. Never send a 5xx message to the client.
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

// A server-side session store, so that regenerating the session kills the old id. This Map is for
// development only (no expiry, one process); use Redis or your database in production.
const sessions = new Map<string, unknown>();
app.use(
  session(
    {
      key: 'sid',
      httpOnly: true,
      sameSite: 'lax',
      store: {
        get: async (key: string) => sessions.get(key),
        set: async (key: string, value: unknown) => void sessions.set(key, value),
        destroy: async (key: string) => void sessions.delete(key),
      },
    },
    app,
  ),
);
app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '16kb', formLimit: '16kb' }));
app.use(passport.initialize());
app.use(passport.session());

const router = new Router();

// Step 1: the password. With 2FA on, the session only gets the pending state.
router.post('/login', (ctx, next) =>
  passport.authenticate('local', async (err: unknown, user: User | false) => {
    if (err) throw err;
    if (!user) {
      ctx.status = 401;
      ctx.body = { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password.' } };
      return;
    }
    if (!(await service.status(user.id)).enabled) {
      await ctx.login(user);
      ctx.body = { status: 'authenticated' };
      return;
    }
    // A new session id for the half-signed-in state. koa-session keeps the data across
    // regenerate, so drop an earlier login explicitly.
    await ctx.session!.regenerate();
    delete ctx.session!.passport;
    setPendingSecondFactor(ctx.session!, { userId: user.id, fingerprint: user.passwordHash });
    ctx.body = { status: 'two-factor-required' };
  })(ctx, next),
);

// Step 2: `code` or `backupCode` from the POST body. A 429 already carries Retry-After.
router.post('/login/two-factor', (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  return passport.authenticate('totp', async (err: unknown, user: User | false, info?: TotpStrategyInfo) => {
    if (err) throw err;
    if (!user || !info || isTotpFailureInfo(info)) {
      const failure = isTotpFailureInfo(info)
        ? info
        : { status: 401, code: 'TWO_FACTOR_INVALID_CODE', message: 'The code is not valid.' };
      ctx.status = failure.status;
      ctx.body = { error: { code: failure.code, message: failure.message } };
      return;
    }
    // Passport 0.7 regenerates the session here (koa-session's ctx.session.regenerate): a new id.
    await ctx.login(user);
    ctx.body = { status: 'authenticated', backupCodes: info.backupCodes };
  })(ctx, next);
});

// The one access decision of @secondfactor/web: a pending second factor is signed out (S20).
// With @secondfactor/koa, use its requireSecondFactor() instead: the same decision, ready made.
const signedIn: Koa.Middleware = async (ctx, next) => {
  const user = ctx.isAuthenticated() ? ctx.state.user : undefined;
  const decision = decideAccess({ user, loginState: totp.loginState(ctx.session) });
  if (decision.allowed) return next();
  if (ctx.accepts('json', 'html') === 'html') return ctx.redirect('/login');
  ctx.status = decision.status;
  ctx.body = { error: { code: decision.code } };
};

router.get('/clientarea', signedIn, (ctx) => {
  ctx.body = { email: (ctx.state.user as User).email };
});

router.post('/logout', async (ctx) => {
  await ctx.logout();
  ctx.body = { status: 'signed-out' };
});

app.use(router.routes());
app.use(router.allowedMethods());

export const server = app.listen(Number(process.env.PORT ?? 3000));
