/**
 * `createApp`: the whole billing site as an Express 5 app, separate from `main.ts` so tests and a
 * second instance can build it. It is "an existing Express app" (express-session, passport-local,
 * TypeORM) with two-factor authentication added: `two-factor.ts` builds the routers, and the lines
 * here that use them are marked "2FA".
 */
import { randomBytes } from 'node:crypto';
import {
  builtSite,
  clientAddress,
  newRequestId,
  notFound,
  objectBody,
  openSite,
  refusalEvent,
  registrationAddressLimit,
  DYNAMIC_NO_STORE,
  securityHeaders,
  sessionCookieName,
  type BuiltSite,
  type CreateAppOptions,
  withRequestId,
} from '@secondfactor/example-billing-shared';
import { csrfTokenFromRequest } from '@secondfactor/express';
import { ExpressSessionStore } from '@secondfactor/sessions/express';
import { csrfSync } from 'csrf-sync';
import express, { type Express } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { errorHandler } from './middleware/error-handler';
import type { SiteLocals } from './middleware/request-context';
import { accountRoutes } from './routes/account';
import { assetRoutes } from './routes/assets';
import { authRoutes } from './routes/auth';
import { clientAreaRoutes } from './routes/client-area';
import { addTwoFactor } from './two-factor';

/** A built Express site: the app, and what it runs on. */
export interface ExpressBillingSite extends BuiltSite {
  app: Express;
}

/**
 * Builds the site: connects the database, runs migrations, seeds demo data (when configured), and
 * returns the Express app ready for `app.listen()`.
 */
export async function createApp(options: CreateAppOptions): Promise<ExpressBillingSite> {
  const app = express();
  const passport = new Passport();
  const opened = await openSite(options);
  try {
    const { context } = opened;
    const { config } = context;
    const twoFactor = addTwoFactor(context, passport); // 2FA
    const locals: SiteLocals = { siteName: config.issuer, clock: context.twoFactor.clock };
    Object.assign(app.locals, locals);
    app.disable('x-powered-by');
    app.use((req, res, next) => {
      // S27: every log line of this request carries its id, which the client sees as X-Request-Id.
      const requestId = newRequestId();
      res.set('X-Request-Id', requestId);
      res.on('finish', () => {
        if (res.statusCode !== 401 && res.statusCode !== 403) return;
        const refusal = refusalEvent({
          status: res.statusCode,
          code: res.locals.errorCode as string | undefined,
          method: req.method,
          path: req.path,
          sessionUserId: (req.session as { passport?: { user?: unknown } } | undefined)?.passport?.user,
          ip: clientAddress(req.ip),
          userAgent: req.get('user-agent') || undefined,
        });
        if (refusal)
          void withRequestId(requestId, () =>
            context.recordEvent(refusal).catch(() => context.log('account: audit of a refusal failed')),
          );
      });
      withRequestId(requestId, next);
    });
    // TRUST_PROXY trusts exactly one hop: req.ip is the address the proxy saw, not a client's pick.
    app.set('trust proxy', config.trustProxy ? 1 : false);
    const headers = securityHeaders(config.https);
    app.use((_req, res, next) => {
      res.set(headers);
      next();
    });
    app.use(assetRoutes());
    app.use((_req, res, next) => {
      // S38: nothing but the static assets may be cached, signed in or not.
      res.set(DYNAMIC_NO_STORE);
      next();
    });
    app.use(
      session({
        name: sessionCookieName(config.cookieSecure),
        secret: config.sessionKeys,
        store: new ExpressSessionStore(opened.sessions.store),
        resave: false,
        saveUninitialized: false,
        genid: () => randomBytes(24).toString('base64url'),
        // S33: a browser-session cookie (no maxAge); the store enforces the idle and absolute lifetimes.
        cookie: { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/' },
      }),
    );
    app.use(express.json({ limit: '32kb' }), express.urlencoded({ extended: false, limit: '32kb' }));
    app.use((req, _res, next) => {
      req.body = objectBody(req.body);
      next();
    });
    // csrf-sync reads the token from the `_csrf` field or the `x-csrf-token` header, never the query string.
    app.use(csrfSync({ getTokenFromRequest: csrfTokenFromRequest }).csrfSynchronisedProtection);
    app.use(passport.initialize());
    app.use(passport.session());

    const routes = {
      site: context,
      sessions: opened.sessions.store,
      passport,
      demoLogins: opened.demoLogins,
      // 2FA: every signed-in page is behind the one access decision (S20).
      requireSignedIn: twoFactor.requireSecondFactor({ redirectTo: '/login' }),
      // 2FA: sensitive actions need a recent verification (S35, STEP_UP_MAX_AGE_SECONDS).
      requireRecentStepUp: twoFactor.requireRecentSecondFactor({ redirectTo: '/login' }),
      // S36: Security Settings stays reachable when the 2FA policy's grace deadline has passed.
      requireSignedInAllowingEnrollment: twoFactor.requireSecondFactor({
        redirectTo: '/login',
        enrollmentPolicy: 'allow',
      }),
      renderSecuritySection: twoFactor.renderSecuritySection, // 2FA
      beginSecondFactor: twoFactor.beginSecondFactor, // 2FA: the password step
      limitRegistrations: twoFactor.limitAttemptsByAddress(registrationAddressLimit(context)), // S32
    };
    app.use(authRoutes(routes), clientAreaRoutes(routes), accountRoutes(routes));
    app.use(twoFactor.management, twoFactor.challenge); // 2FA: the management and challenge routes
    app.use((_req, _res, next) => next(notFound()));
    app.use(errorHandler(context.log));
    return { ...builtSite(opened, app), app };
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
}
