/** The factory a host calls once at start-up: both routers, the guard and the embeddable section. */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { createChallengeRouter } from './challenge-router';
import { createCsrfErrorHandler } from './csrf-error-handler';
import { createGuard, type RequireSecondFactorOptions } from './guard';
import { createManagementRouter } from './management-router';
import { resolveOptions, type TwoFactorRoutesOptions } from './options';
import { fullySignedInUser } from './pending-login';
import { renderSection } from './security-section';

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
  /** Middleware for the host's protected routes: a pending second factor is signed out (S20). */
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
 *   passport,
 *   getUser: (ctx) => ctx.state.user,
 *   getUserId: (user: { id: string }) => user.id,
 *   getAccountName: (user: { email: string }) => user.email,
 * });
 * app.use(twoFactor.management.routes());
 * app.use(twoFactor.challenge.routes());
 * ```
 */
export function createTwoFactorRouters<User = unknown>(options: TwoFactorRoutesOptions<User>): TwoFactorRouters {
  const resolved = resolveOptions(options);
  return {
    management: createManagementRouter(resolved),
    challenge: createChallengeRouter(resolved),
    requireSecondFactor: createGuard(resolved),
    renderSecuritySection: async (ctx) => {
      const user = await fullySignedInUser(ctx, resolved);
      return user === undefined ? '' : renderSection(ctx, resolved, resolved.getUserId(user));
    },
    csrfErrorHandler: createCsrfErrorHandler(resolved),
  };
}
