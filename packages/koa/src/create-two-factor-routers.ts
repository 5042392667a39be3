/**
 * The factory a host calls once at start-up: @secondfactor/web's routes mounted on two @koa/router
 * routers, the guard, the embeddable section and koa-csrf's error handler. Translation only.
 */
import Router from '@koa/router';
import {
  createTwoFactorWeb,
  type AddressThrottle,
  type PasswordStepOutcome,
  type RequireRecentSecondFactorOptions,
  type RequireSecondFactorOptions,
  type TwoFactorWebOptions,
} from '@secondfactor/web';
import type { UserIdKind } from '@secondfactor/core';
import type { Context, Middleware } from 'koa';
import CSRF from 'koa-csrf';
import { webRequestReader } from './koa-request';
import { secondStepStrategy, type TwoFactorRoutesOptions } from './options';
import { send } from './send';

/**
 * What {@link createTwoFactorRouters} returns.
 *
 * @example
 * ```ts
 * const { management, challenge, requireSecondFactor } = createTwoFactorRouters(options);
 * app.use(management.routes()).use(challenge.routes());
 * ```
 */
export interface TwoFactorRouters<User = unknown> {
  /** Status, enroll, confirm, disable and backup codes, under `managementPrefix`. */
  management: Router;
  /** The second login step (GET form, POST code or backup code), under `challengePrefix`. */
  challenge: Router;
  /** Middleware for the host's protected routes, from the one access decision (S20). */
  requireSecondFactor: (options?: RequireSecondFactorOptions) => Middleware;
  /**
   * Middleware for sensitive routes (S35): as `requireSecondFactor`, and the session's last
   * verification must be at most `maxAgeSeconds` old, else 401 `TWO_FACTOR_STEP_UP_REQUIRED` with
   * `stepUpUrl` (JSON) or "Confirm it's you" and back (browsers).
   */
  requireRecentSecondFactor: (options?: RequireRecentSecondFactorOptions) => Middleware;
  /** The Two-Factor Authentication section as an HTML fragment, for the host's Security Settings page ('' when signed out). */
  renderSecuritySection: (ctx: Context) => Promise<string>;
  /**
   * CSRF protection for the whole app (S25), koa-csrf 5 set up for these routes: the token is
   * `ctx.state._csrf` (put it in your own forms with `csrfField`), read back from the `_csrf` body
   * field or the `x-csrf-token` header, never the query string; a refusal is 403 `TWO_FACTOR_CSRF`.
   * Mount it after the session and the body parser. An app with its own koa-csrf keeps it and uses
   * `csrfErrorHandler` instead.
   */
  csrfProtection: () => Middleware;
  /** koa-csrf's `errorHandler`: answers 403 `TWO_FACTOR_CSRF` in HTML or JSON. */
  csrfErrorHandler: (ctx: Context) => never;
  /**
   * Your password step, after a correct password: with 2FA on, any earlier sign-in is dropped, the
   * session gets a new id and only a pending login bound to the password (S20, S22, S23); without
   * it, `ctx.login(user)`. Answers the `status` for `POST /login` and where a browser goes next.
   * Rejects when the store is down, so nobody is signed in unchecked.
   */
  beginSecondFactor(ctx: Context, user: User): Promise<PasswordStepOutcome>;
  /**
   * {@link TwoFactorRouters.beginSecondFactor} as the end of your `POST /login`, after
   * `passport.authenticate('local', …)` put the user in `ctx.state.user`: browsers are redirected
   * (to the challenge, or to `successRedirect`), JSON clients get `{ status }`, and a store fault is
   * 503 `TWO_FACTOR_UNAVAILABLE`.
   */
  passwordStep: () => Middleware;
  /**
   * Middleware that limits a route (e.g. `POST /register`) per client address with the password
   * throttle's window (S32): each request counts one attempt of `ctx.ip` (checked with `net.isIP`);
   * past `addressLimit` per `addressWindowSeconds` it answers 429 `TOO_MANY_ATTEMPTS` with
   * `Retry-After`, in JSON or as the error page, and the route does not run. A store fault is 503.
   * Mount it on the route only, before its handler:
   * `router.post('/register', twoFactor.limitAttemptsByAddress(throttle), register)`.
   */
  limitAttemptsByAddress: (throttle: AddressThrottle) => Middleware;
}

/**
 * Validates the options (bad ones throw a `ConfigurationError` here, at setup) and builds the
 * routers. Mount koa-session, a body parser, koa-csrf and koa-passport before them.
 *
 * @example
 * ```ts
 * const twoFactor = createTwoFactorRouters({
 *   service,
 *   loadUser: (id) => users.findById(id),
 *   passwordFingerprint: (_id, user) => user.passwordHash,
 *   getUserId: (user: User) => user.id, // a string or an integer id
 *   getAccountName: (user) => user.email,
 * });
 * app.use(twoFactor.management.routes());
 * app.use(twoFactor.challenge.routes());
 * router.post('/login', async (ctx, next) =>
 *   passport.authenticate('local', async (err: unknown, user: User | false) => {
 *     if (err) throw err;
 *     if (!user) return ctx.redirect('/login?failed=1');
 *     ctx.redirect((await twoFactor.beginSecondFactor(ctx, user)).redirectTo);
 *   })(ctx, next),
 * );
 * ```
 */
export function createTwoFactorRouters<User = unknown, Kind extends UserIdKind = 'string'>(
  options: TwoFactorRoutesOptions<User, Kind>,
): TwoFactorRouters<User> {
  const web = createTwoFactorWeb(webOptionsOf(options));
  const toWebRequest = webRequestReader(web.options.bodyLimit);
  // koa-csrf's typings expect a handler that throws; this one answers instead.
  const csrfErrorHandler = (ctx: Context): never => {
    send(ctx, web.csrfFailure(toWebRequest(ctx)));
    return undefined as never;
  };
  const routers = {
    management: new Router({ prefix: web.options.managementPrefix }),
    challenge: new Router({ prefix: web.options.challengePrefix }),
  };
  for (const route of web.routes) {
    routers[route.router].register(route.path, [route.method], async (ctx: Context) => {
      send(ctx, await route.handle(toWebRequest(ctx)));
    });
  }
  return {
    ...routers,
    requireSecondFactor: (guardOptions) => {
      const guard = web.requireSecondFactor(guardOptions);
      return async (ctx, next) => {
        const refusal = await guard(toWebRequest(ctx));
        if (refusal) send(ctx, refusal);
        else await next();
      };
    },
    requireRecentSecondFactor: (guardOptions) => {
      const guard = web.requireRecentSecondFactor(guardOptions);
      return async (ctx, next) => {
        const refusal = await guard(toWebRequest(ctx));
        if (refusal) send(ctx, refusal);
        else await next();
      };
    },
    renderSecuritySection: (ctx) => web.renderSecuritySection(toWebRequest(ctx)),
    csrfProtection: () => new CSRF({ errorHandler: csrfErrorHandler, disableQuery: true }),
    csrfErrorHandler,
    beginSecondFactor: (ctx, user) => web.passwordStep(toWebRequest(ctx), user),
    passwordStep: () => async (ctx) => {
      send(ctx, await web.passwordStepResponse(toWebRequest(ctx), (ctx.state as { user?: unknown }).user));
    },
    limitAttemptsByAddress: (throttle) => {
      const guard = web.limitAttemptsByAddress(throttle);
      return async (ctx, next) => {
        const refusal = await guard(toWebRequest(ctx));
        if (refusal) send(ctx, refusal);
        else await next();
      };
    },
  };
}

/** The options for @secondfactor/web: the strategy resolved, `getUser` defaulting to koa-passport's `ctx.state.user`. */
function webOptionsOf<User, Kind extends UserIdKind>(
  options: TwoFactorRoutesOptions<User, Kind>,
): TwoFactorWebOptions<User, Context> {
  if (!options || typeof options !== 'object') return options as unknown as TwoFactorWebOptions<User, Context>;
  const { loadUser: _loadUser, passwordFingerprint: _fingerprint, strategy: _strategy, getUser, ...rest } = options;
  return {
    ...rest,
    strategy: secondStepStrategy(options)!,
    // A pending second factor is signed out whatever this answers (S20).
    getUser: getUser ?? ((ctx) => (ctx.state as { user?: User }).user),
  };
}
