/** The options of `createTwoFactorRouters` for Koa: @secondfactor/web's, with Koa's `ctx` as the request. */
import type { LayoutPage, TwoFactorWebOptions, Views as WebViews } from '@secondfactor/web';
import type { Context } from 'koa';

/**
 * Everything the host supplies. Only `service`, `strategy`, `getUserId` and `getAccountName` are
 * required; `getUser` defaults to koa-passport's `ctx.state.user`.
 *
 * @example
 * ```ts
 * const options: TwoFactorRoutesOptions<{ id: number; email: string }> = {
 *   service,
 *   strategy, // passport-totp's TotpStrategy
 *   getUserId: (user) => user.id,
 *   getAccountName: (user) => user.email,
 * };
 * ```
 */
export type TwoFactorRoutesOptions<User = unknown> = Omit<TwoFactorWebOptions<User, Context>, 'getUser'> & {
  /** The signed-in user as your session knows it, or undefined. Default: koa-passport's `ctx.state.user`. */
  getUser?: TwoFactorWebOptions<User, Context>['getUser'];
};

/**
 * The views, each `(model, ctx) => string`.
 *
 * @example
 * ```ts
 * const views: Partial<Views> = { error: (model) => `<p>${escapeHtml(model.message)}</p>` };
 * ```
 */
export type Views = WebViews<Context>;

export type { LayoutPage };
