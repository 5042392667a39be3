/** The options of `createTwoFactorRouters` for Express: @secondfactor/web's, with Express's `req` as the request. */
import type { LayoutPage, TwoFactorWebOptions, Views as WebViews } from '@secondfactor/web';
import type { Request } from 'express';

/**
 * Everything the host supplies. Only `service`, `strategy`, `getUserId` and `getAccountName` are
 * required; `getUser` defaults to Passport's `req.user`. The rest are those of @secondfactor/koa,
 * plus `onError`.
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
export type TwoFactorRoutesOptions<User = unknown> = Omit<TwoFactorWebOptions<User, Request>, 'getUser'> & {
  /** The signed-in user as your session knows it, or undefined. Default: Passport's `req.user`. */
  getUser?: TwoFactorWebOptions<User, Request>['getUser'];
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
