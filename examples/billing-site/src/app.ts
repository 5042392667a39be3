/**
 * `createApp`: the whole billing site as a Koa app, separate from `main.ts` so tests and a second
 * instance can build it. This file is the wiring a platform team copies.
 */
import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import { createTwoFactorRouters } from '@secondfactor/koa';
import { TotpStrategy } from '@secondfactor/passport-totp';
import Koa from 'koa';
import CSRF from 'koa-csrf';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { Strategy as LocalStrategy } from 'passport-local';
import type { SiteConfig } from './config';
import { activeDemoAccounts, seedDemoData, type DemoAccount } from './db/demo-data';
import type { User } from './db/entities/user.entity';
import { requireObjectBody } from './middleware/body-shape';
import { errorHandler } from './middleware/error-handler';
import { layoutFor } from './middleware/request-context';
import { securityHeaders } from './middleware/security-headers';
import { accountRoutes } from './routes/account';
import { assetRoutes } from './routes/assets';
import { authRoutes } from './routes/auth';
import { clientAreaRoutes } from './routes/client-area';
import type { RouteDependencies, SitePassport } from './routes/dependencies';
import { asStoreFault } from './services/database-faults';
import { passwordFingerprint } from './services/password-hasher';
import { RedisSessionStore } from './services/redis-session-store';
import { openSiteContext, type SiteContext } from './services/site-context';
import { SiteError, SiteErrorCode } from './services/site-error';
import { TypeOrmSessionStore, type SessionStore } from './services/typeorm-session-store';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  config: SiteConfig;
  /** One-line log sink. Default `console.log`. */
  log?: (line: string) => void;
  /** The server clock, for tests: the 2FA service, the strategy, the routers and the password step all read it. */
  clock?: () => Date;
}

/** A built site: the Koa app and what it runs on. */
export interface BillingSite {
  app: Koa;
  context: SiteContext;
  /** Demo logins that exist with their demo password (printed at start). */
  demoLogins: DemoAccount[];
  /** Whether this start seeded the demo data. */
  seeded: boolean;
  /** The guard on every signed-in page (the one access decision of @secondfactor/web, S20). */
  requireSignedIn: Koa.Middleware;
  /** Closes the session store, the mailer and the database. */
  close(): Promise<void>;
}

/** Session lifetime: one working day. */
const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;
/** koa-csrf reads the token from the body or the `x-csrf-token` header; the query string stays out (tokens leak from URLs). */
const csrf = () =>
  new CSRF({
    disableQuery: true,
    errorHandler: () => {
      throw new SiteError(
        403,
        SiteErrorCode.CsrfInvalid,
        'The form expired or the security token is missing. Reload the page and try again.',
      );
    },
  });

function createPassport(context: SiteContext): { passport: SitePassport; totp: TotpStrategy } {
  const passport = new koaPassport.KoaPassport();
  passport.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', session: false },
      (email, password, done) => {
        context.accounts.checkCredentials(email, password).then((user) => done(null, user ?? false), done);
      },
    ),
  );
  // The strategy reads the service's clock: one time for the service, the strategy and the routers.
  const totp = new TotpStrategy({
    service: context.twoFactor,
    // S22: the second step fails if the password changed since the first.
    // Both hooks read the users table: an outage there is a 503 like a store fault, not a 500.
    // The strategy hands over the user loadUser just read: one users query per second step, not two.
    passwordFingerprint: (_userId, user) => passwordFingerprint((user as User).passwordHash),
    loadUser: (userId) => asStoreFault(async () => (await context.accounts.findById(userId)) ?? false),
  });
  passport.use(totp);
  passport.serializeUser((user, done) => done(null, String((user as User).id)));
  passport.deserializeUser((id: string, done) => {
    context.accounts.findById(id).then((user) => done(null, user ?? false), done);
  });
  return { passport, totp };
}

async function createSessionStore(context: SiteContext): Promise<{ store: SessionStore; close(): Promise<void> }> {
  if (!context.config.redisUrl)
    return { store: new TypeOrmSessionStore(context.dataSource), close: async () => undefined };
  const store = new RedisSessionStore(context.config.redisUrl);
  await store.connect();
  return { store, close: () => store.close() };
}

/**
 * Builds the site: connects the database, runs migrations, seeds demo data (when configured), and
 * returns the Koa app ready for `app.listen()`.
 *
 * @example
 * ```ts
 * const site = await createApp({ config: loadConfig() });
 * const server = site.app.listen(site.context.config.port);
 * ```
 */
export async function createApp(options: CreateAppOptions): Promise<BillingSite> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const context = await openSiteContext(config, { log, clock: options.clock });
  try {
    const seeded = config.seedDemo ? await seedDemoData(context.dataSource, context.accounts) : false;
    const demoLogins = config.seedDemo ? await activeDemoAccounts(context.accounts) : [];
    const sessions = await createSessionStore(context);
    const { passport, totp } = createPassport(context);

    const twoFactor = createTwoFactorRouters<User>({
      service: context.twoFactor,
      strategy: totp,
      getUser: (ctx) => (ctx.isAuthenticated() ? (ctx.state.user as User) : undefined),
      getUserId: (user) => String(user.id),
      getAccountName: (user) => user.email,
      successRedirect: '/clientarea',
      loginPath: '/login',
      layout: (ctx, page) =>
        layoutFor(ctx, {
          title: page.title,
          body: page.body,
          active: ctx.path.startsWith('/login') ? 'login' : 'security',
        }),
    });

    const app = new Koa({ keys: config.sessionKeys, proxy: config.trustProxy });
    app.use(errorHandler((line) => log(line)));
    app.use(securityHeaders());
    app.use(assetRoutes().routes());
    app.use(async (ctx, next) => {
      ctx.state.siteName = config.issuer;
      await next();
    });
    app.use(
      session(
        {
          key: 'billing.sid',
          store: sessions.store,
          maxAge: SESSION_MAX_AGE_MS,
          renew: true,
          httpOnly: true,
          sameSite: 'lax',
          secure: config.cookieSecure,
          signed: true,
          genid: () => randomBytes(24).toString('base64url'),
        },
        app,
      ),
    );
    app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '32kb', formLimit: '32kb' }));
    app.use(requireObjectBody());
    app.use(csrf());
    app.use(passport.initialize());
    app.use(passport.session());

    const requireSignedIn = twoFactor.requireSecondFactor({ redirectTo: '/login' });
    const deps: RouteDependencies = {
      site: context,
      passport,
      demoLogins,
      requireSignedIn,
      renderSecuritySection: twoFactor.renderSecuritySection,
      beginSecondFactor: twoFactor.beginSecondFactor,
    };
    // An unknown or unsupported method is the client's mistake: 405 with the usual error body, never a 501.
    const wrongMethod = () =>
      new SiteError(405, SiteErrorCode.MethodNotAllowed, 'This address does not accept that method.');
    for (const router of [
      authRoutes(deps),
      clientAreaRoutes(deps),
      accountRoutes(deps),
      twoFactor.management,
      twoFactor.challenge,
    ]) {
      app.use(router.routes());
      app.use(router.allowedMethods({ throw: true, methodNotAllowed: wrongMethod, notImplemented: wrongMethod }));
    }
    app.on('error', (error: unknown) => {
      // Errors the error handler already answered are logged there; this catches socket-level ones.
      if ((error as { expose?: boolean }).expose) return;
      log(`error: ${error instanceof Error ? error.message : String(error)}`);
    });

    return {
      app,
      context,
      demoLogins,
      seeded,
      requireSignedIn,
      async close() {
        await sessions.close();
        await context.close();
      },
    };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}
