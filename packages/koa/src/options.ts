/** The options of `createTwoFactorRouters` for Koa: @secondfactor/web's, with Koa's `ctx` as the request. */
import type { LayoutPage, TwoFactorWebOptions, Views as WebViews } from '@secondfactor/web';
import type { Context } from 'koa';

/**
 * Everything the host supplies. Only `service`, `strategy`, `getUser`, `getUserId` and
 * `getAccountName` are required.
 *
 * @example
 * ```ts
 * const options: TwoFactorRoutesOptions<{ id: string; email: string }> = {
 *   service,
 *   strategy, // the TotpStrategy given to passport.use
 *   getUser: (ctx) => ctx.state.user,
 *   getUserId: (user) => user.id,
 *   getAccountName: (user) => user.email,
 * };
 * ```
 */
export type TwoFactorRoutesOptions<User = unknown> = TwoFactorWebOptions<User, Context>;

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
