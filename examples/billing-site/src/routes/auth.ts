/** Sign-in routes: login (password step), registration, logout and the session probe. */
import Router from '@koa/router';
import {
  AccountEventType,
  loginForm,
  passwordLogin,
  registerForm,
  registration,
  sessionProbeWithPolicy,
  signedOut,
} from '@secondfactor/example-billing-shared';
import type { Context } from 'koa';
import {
  csrfToken,
  currentUser,
  send,
  sessionOf,
  signInFacts,
  siteRequest,
  wantsJson,
} from '../middleware/request-context';
import { signInSteps } from '../services/sign-in';
import type { RouteDependencies } from './dependencies';

/**
 * `GET /`, `GET|POST /login`, `GET|POST /register`, `POST /logout`, `GET /session`.
 */
export function authRoutes(deps: RouteDependencies): Router {
  const { site, passport, demoLogins } = deps;
  const steps = (ctx: Context) => signInSteps(ctx, passport, deps.beginSecondFactor);
  const router = new Router();

  router.get('/', (ctx) => ctx.redirect(currentUser(ctx) ? '/clientarea' : '/login'));
  router.get('/session', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    // S36: the probe also says whether the 2FA policy leaves this user only enrollment, and by when.
    ctx.body = await sessionProbeWithPolicy(signInFacts(ctx), csrfToken(ctx), site);
  });
  router.get('/login', (ctx) => send(ctx, loginForm(siteRequest(ctx), demoLogins)));
  router.post('/login', async (ctx) => send(ctx, await passwordLogin(siteRequest(ctx), demoLogins, steps(ctx), site)));
  router.get('/register', (ctx) => send(ctx, registerForm(siteRequest(ctx))));
  router.post('/register', deps.limitRegistrations, async (ctx) =>
    send(ctx, await registration(siteRequest(ctx), site, steps(ctx))),
  );
  router.post('/logout', async (ctx) => {
    const request = siteRequest(ctx);
    if (request.user)
      await site.recordEvent({
        type: AccountEventType.Logout,
        userId: String(request.user.id),
        ip: request.ip,
        userAgent: request.userAgent,
      });
    // Destroying the session (store row and cookie) also drops a pending second factor and the CSRF secret.
    if (sessionOf(ctx)) (ctx as unknown as { session: null }).session = null;
    send(ctx, signedOut(wantsJson(ctx)));
  });
  return router;
}
