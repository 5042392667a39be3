/**
 * `createApp`: the whole billing site as a Koa app, separate from `main.ts` so tests and a second
 * instance can build it. This file is the wiring a platform team copies; what is not Koa-specific
 * (database, accounts, mail, views, the site's route decisions) comes from the shared example code.
 */
import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import {
  builtSite,
  clientAddress,
  csrfRefusal,
  methodNotAllowed,
  newRequestId,
  objectBody,
  openSite,
  refusalEvent,
  registrationAddressLimit,
  DYNAMIC_NO_STORE,
  securityHeaders,
  sessionCookieName,
  twoFactorPage,
  twoFactorRouteSettings,
  useSiteStrategies,
  withRequestId,
  type BuiltSite,
  type CreateAppOptions,
  type User,
} from '@secondfactor/example-billing-shared';
import { createTwoFactorRouters } from '@secondfactor/koa';
import { koaSessionStore } from '@secondfactor/sessions/koa';
import Koa from 'koa';
import CSRF from 'koa-csrf';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { errorHandler } from './middleware/error-handler';
import { pageRequest } from './middleware/request-context';
import { accountRoutes } from './routes/account';
import { assetRoutes } from './routes/assets';
import { authRoutes } from './routes/auth';
import { clientAreaRoutes } from './routes/client-area';
import type { RouteDependencies } from './routes/dependencies';

/** A built Koa site: the app, and what it runs on. */
export interface BillingSite extends BuiltSite {
  app: Koa;
  /** The guard on every signed-in page (the one access decision of @secondfactor/web, S20). */
  requireSignedIn: Koa.Middleware;
  /** The guard on sensitive actions (S35: a verification within `STEP_UP_MAX_AGE_SECONDS`). */
  requireRecentStepUp: Koa.Middleware;
}

/**
 * Builds the site: connects the database, runs migrations, seeds demo data (when configured), and
 * returns the Koa app ready for `app.listen()`.
 */
export async function createApp(options: CreateAppOptions): Promise<BillingSite> {
  const opened = await openSite(options);
  const { context, sessions } = opened;
  const { config, log } = context;
  try {
    const passport = new koaPassport.KoaPassport();
    const totp = useSiteStrategies(passport, context);

    // The 2FA routes: the settings both sites share, plus who is signed in and the layout, Koa's way.
    const twoFactor = createTwoFactorRouters<User>({
      ...twoFactorRouteSettings(context, totp),
      getUser: (ctx) => (ctx.isAuthenticated() ? (ctx.state.user as User) : undefined),
      layout: (ctx, page) => twoFactorPage(pageRequest(ctx), page, ctx.path),
    });

    // TRUST_PROXY trusts exactly one hop: ctx.ip is the address the proxy saw, not a client's pick.
    const app = new Koa({ keys: config.sessionKeys, proxy: config.trustProxy, maxIpsCount: 1 });
    const headers = securityHeaders(config.https);
    app.use(async (ctx, next) => {
      // S27: every log line of this request carries its id, which the client sees as X-Request-Id.
      const requestId = newRequestId();
      ctx.set('X-Request-Id', requestId);
      await withRequestId(requestId, async () => {
        await next();
        if (ctx.status !== 401 && ctx.status !== 403) return;
        const refusal = refusalEvent({
          status: ctx.status,
          code: ctx.state.errorCode as string | undefined,
          method: ctx.method,
          path: ctx.path,
          sessionUserId: (ctx as unknown as { session?: { passport?: { user?: unknown } } }).session?.passport?.user,
          ip: clientAddress(ctx.ip),
          userAgent: ctx.get('user-agent') || undefined,
        });
        if (refusal) await context.recordEvent(refusal).catch(() => log('account: audit of a refusal failed'));
      });
    });
    app.use(errorHandler(log));
    app.use(async (ctx, next) => {
      ctx.set(headers);
      await next();
    });
    app.use(assetRoutes().routes());
    app.use(async (ctx, next) => {
      // S38: the configuration makes a Secure cookie require TRUST_PROXY, so the site is behind TLS:
      // a request that reached it without X-Forwarded-Proto (a health check) still gets its answer.
      if (config.cookieSecure) (ctx.cookies as unknown as { secure: boolean }).secure = true;
      // S38: nothing but the static assets may be cached, signed in or not.
      ctx.set(DYNAMIC_NO_STORE);
      ctx.state.siteName = config.issuer;
      ctx.state.clock = context.twoFactor.clock;
      await next();
    });
    app.use(
      session(
        {
          key: sessionCookieName(config.cookieSecure),
          store: koaSessionStore(sessions.store),
          // S33: a browser-session cookie; the store enforces the idle and absolute lifetimes.
          maxAge: 'session',
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
    app.use(async (ctx, next) => {
      ctx.request.body = objectBody(ctx.request.body);
      await next();
    });
    // koa-csrf reads the token from the body or the `x-csrf-token` header; the query string stays out
    // (tokens leak from URLs).
    app.use(
      new CSRF({
        disableQuery: true,
        errorHandler: () => {
          throw csrfRefusal();
        },
      }),
    );
    app.use(passport.initialize());
    app.use(passport.session());

    const requireSignedIn = twoFactor.requireSecondFactor({ redirectTo: '/login' });
    // S35: sensitive actions need a recent verification (STEP_UP_MAX_AGE_SECONDS).
    const requireRecentStepUp = twoFactor.requireRecentSecondFactor({ redirectTo: '/login' });
    const deps: RouteDependencies = {
      site: context,
      sessions: sessions.store,
      passport,
      demoLogins: opened.demoLogins,
      requireSignedIn,
      requireRecentStepUp,
      // S36: Security Settings stays reachable when the 2FA policy's grace deadline has passed.
      requireSignedInAllowingEnrollment: twoFactor.requireSecondFactor({
        redirectTo: '/login',
        enrollmentPolicy: 'allow',
      }),
      renderSecuritySection: twoFactor.renderSecuritySection,
      beginSecondFactor: twoFactor.beginSecondFactor,
      limitRegistrations: twoFactor.limitAttemptsByAddress(registrationAddressLimit(context)),
    };
    // An unknown or unsupported method is the client's mistake: 405 with the usual error body, never a 501.
    for (const router of [
      authRoutes(deps),
      clientAreaRoutes(deps),
      accountRoutes(deps),
      twoFactor.management,
      twoFactor.challenge,
    ]) {
      app.use(router.routes());
      app.use(
        router.allowedMethods({ throw: true, methodNotAllowed: methodNotAllowed, notImplemented: methodNotAllowed }),
      );
    }
    app.on('error', (error: unknown) => {
      // Errors the error handler already answered are logged there; this catches socket-level ones.
      if ((error as { expose?: boolean }).expose) return;
      log(`error: ${error instanceof Error ? error.message : String(error)}`);
    });

    return { ...builtSite(opened, app.callback()), app, requireSignedIn, requireRecentStepUp };
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
}
