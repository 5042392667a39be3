/** The options of `createTwoFactorRouters` for Express: @secondfactor/web's, with Express's `req` as the request. */
import type { LayoutPage, TwoFactorWebOptions, Views as WebViews } from '@secondfactor/web';
import type { Request } from 'express';

/**
 * Everything the host supplies. Only `service`, `strategy`, `getUser`, `getUserId` and
 * `getAccountName` are required; the rest are those of @secondfactor/koa, plus `onError`.
 *
 * @example
 * ```ts
 * const options: TwoFactorRoutesOptions<{ id: string; email: string }> = {
 *   service,
 *   strategy, // the TotpStrategy given to passport.use
 *   getUser: (req) => req.user as { id: string; email: string } | undefined,
 *   getUserId: (user) => user.id,
 *   getAccountName: (user) => user.email,
 * };
 * ```
 */
export type TwoFactorRoutesOptions<User = unknown> = TwoFactorWebOptions<User, Request> & {
  /** Hears every fault the routes answered with a bare 500 or 503. Default: `console.error`. */
  onError?: (error: unknown, req: Request) => void;
};

/**
 * The views, each `(model, req) => string`.
 *
 * @example
 * ```ts
 * const views: Partial<Views> = { error: (model) => `<p>${escapeHtml(model.message)}</p>` };
 * ```
 */
export type Views = WebViews<Request>;

export type { LayoutPage };
