/** Sign-in routes: login (password step), registration, logout and the session probe (DESIGN.md §8). */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { User } from '../db/entities/user.entity';
import {
  csrfToken,
  currentUser,
  isTwoFactorPending,
  renderPage,
  sessionOf,
  wantsJson,
} from '../middleware/request-context';
import { parseLogin, parseNewAccount } from '../services/account-input';
import { completePasswordStep } from '../services/sign-in';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { toPublicUser } from '../services/user-accounts';
import { loginPage, registerPage } from '../views/auth-pages';
import type { RouteDependencies, SitePassport } from './dependencies';

const INVALID_CREDENTIALS = 'The email address or password is not correct.';

/** Runs passport-local and returns the user, or null for wrong credentials. Store faults throw. */
async function checkPassword(ctx: Context, passport: SitePassport): Promise<User | null> {
  let found: User | null = null;
  await passport.authenticate('local', { session: false }, (error: unknown, user: User | false) => {
    if (error) throw error;
    found = user || null;
  })(ctx, async () => undefined);
  return found;
}

/**
 * `GET /`, `GET|POST /login`, `GET|POST /register`, `POST /logout`, `GET /session`.
 *
 * @example
 * ```ts
 * app.use(authRoutes(dependencies).routes());
 * ```
 */
export function authRoutes(deps: RouteDependencies): Router {
  const { site, passport } = deps;
  const router = new Router();

  router.get('/', (ctx) => {
    ctx.redirect(currentUser(ctx) ? '/clientarea' : '/login');
  });

  router.get('/session', (ctx) => {
    const user = currentUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      authenticated: user !== null,
      twoFactorPending: user === null && isTwoFactorPending(ctx, site.twoFactor.clock()),
      user: user ? toPublicUser(user) : null,
      csrfToken: csrfToken(ctx),
    };
  });

  router.get('/login', (ctx) => {
    if (currentUser(ctx)) return ctx.redirect('/clientarea');
    renderPage(ctx, {
      title: 'Login',
      body: loginPage({ csrfToken: csrfToken(ctx), demoLogins: deps.demoLogins }),
      active: 'login',
    });
  });

  router.post('/login', async (ctx) => {
    const json = wantsJson(ctx);
    let credentials: { email: string; password: string };
    try {
      credentials = parseLogin(ctx.request.body);
    } catch (error) {
      if (json || !(error instanceof SiteError)) throw error;
      return renderPage(ctx, {
        title: 'Login',
        status: 400,
        body: loginPage({ csrfToken: csrfToken(ctx), error: error.message, demoLogins: deps.demoLogins }),
        active: 'login',
      });
    }
    const user = await checkPassword(ctx, passport);
    if (!user) {
      if (json) throw new SiteError(401, SiteErrorCode.InvalidCredentials, INVALID_CREDENTIALS);
      return renderPage(ctx, {
        title: 'Login',
        status: 401,
        body: loginPage({
          csrfToken: csrfToken(ctx),
          email: credentials.email,
          error: INVALID_CREDENTIALS,
          demoLogins: deps.demoLogins,
        }),
        active: 'login',
      });
    }
    const status = await completePasswordStep(ctx, user, deps.beginSecondFactor);
    if (json) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status };
      return;
    }
    ctx.redirect(status === 'two-factor-required' ? '/login/two-factor' : '/clientarea');
  });

  router.get('/register', (ctx) => {
    if (currentUser(ctx)) return ctx.redirect('/clientarea');
    renderPage(ctx, { title: 'Register', body: registerPage({ csrfToken: csrfToken(ctx) }), active: 'register' });
  });

  router.post('/register', async (ctx) => {
    const json = wantsJson(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    let user: User;
    try {
      user = await site.accounts.register(parseNewAccount(body));
    } catch (error) {
      if (json || !(error instanceof SiteError)) throw error;
      const values = {
        name: typeof body.name === 'string' ? body.name : '',
        email: typeof body.email === 'string' ? body.email : '',
      };
      return renderPage(ctx, {
        title: 'Register',
        status: error.status,
        body: registerPage({ csrfToken: csrfToken(ctx), values, error: error.message, fields: error.fields }),
        active: 'register',
      });
    }
    // Registration signs in through the same password step as /login, so it can never skip 2FA (S24).
    const status = await completePasswordStep(ctx, user, deps.beginSecondFactor);
    if (json) {
      ctx.status = 201;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status, user: status === 'authenticated' ? toPublicUser(user) : null };
      return;
    }
    ctx.redirect(status === 'two-factor-required' ? '/login/two-factor' : '/clientarea');
  });

  router.post('/logout', async (ctx) => {
    // Destroying the session (store row and cookie) also drops a pending second factor and the CSRF secret.
    if (sessionOf(ctx)) (ctx as unknown as { session: null }).session = null;
    if (wantsJson(ctx)) {
      ctx.body = { status: 'signed-out' };
      return;
    }
    ctx.redirect('/login');
  });

  return router;
}
