/**
 * The factory a host calls once at start-up: @secondfactor/web's routes mounted on two @koa/router
 * routers, the guard, the embeddable section and koa-csrf's error handler. Translation only.
 */
import Router from '@koa/router';
import { createTwoFactorWeb, type RequireSecondFactorOptions } from '@secondfactor/web';
import type { Context, Middleware } from 'koa';
import { webRequestReader } from './koa-request';
import type { TwoFactorRoutesOptions } from './options';
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
export interface TwoFactorRouters {
  /** Status, enroll, confirm, disable and backup codes, under `managementPrefix`. */
  management: Router;
  /** The second login step (GET form, POST code or backup code), under `challengePrefix`. */
  challenge: Router;
  /** Middleware for the host's protected routes, from the one access decision (S20). */
  requireSecondFactor: (options?: RequireSecondFactorOptions) => Middleware;
  /** The Two-Factor Authentication section as an HTML fragment, for the host's Security Settings page ('' when signed out). */
  renderSecuritySection: (ctx: Context) => Promise<string>;
  /** koa-csrf's `errorHandler`: answers 403 `TWO_FACTOR_CSRF` in HTML or JSON. */
  csrfErrorHandler: (ctx: Context) => never;
}

/**
 * Validates the options (bad ones throw a `ConfigurationError` here, at setup) and builds the
 * routers. Mount koa-session, a body parser, koa-csrf and koa-passport before them.
 *
 * @example
 * ```ts
 * const twoFactor = createTwoFactorRouters({
 *   service,
 *   strategy, // the TotpStrategy given to passport.use
 *   getUser: (ctx) => ctx.state.user,
 *   getUserId: (user: { id: string }) => user.id,
 *   getAccountName: (user: { email: string }) => user.email,
 * });
 * app.use(twoFactor.management.routes());
 * app.use(twoFactor.challenge.routes());
 * ```
 */
export function createTwoFactorRouters<User = unknown>(options: TwoFactorRoutesOptions<User>): TwoFactorRouters {
  const web = createTwoFactorWeb(options);
  const toWebRequest = webRequestReader(web.options.bodyLimit);
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
    renderSecuritySection: (ctx) => web.renderSecuritySection(toWebRequest(ctx)),
    // koa-csrf's typings expect a handler that throws; this one answers instead.
    csrfErrorHandler: (ctx) => {
      send(ctx, web.csrfFailure(toWebRequest(ctx)));
      return undefined as never;
    },
  };
}
