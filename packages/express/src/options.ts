/** The options of `createTwoFactorRouters` for Express: @secondfactor/web's, with Express's `req` as the request. */
import { ConfigurationError, type TwoFactorService, type UserIdKind } from '@secondfactor/core';
import { TotpStrategy, type TotpStrategyOptions } from '@secondfactor/passport-totp';
import type { LayoutPage, SecondStepStrategy, TwoFactorWebOptions, Views as WebViews } from '@secondfactor/web';
import type { Request } from 'express';

/**
 * Everything the host supplies. Only `service` and `loadUser` (or your own `strategy`) are
 * required. `getUserId` and `getAccountName` default to the user's `id` and `email` (give them
 * when your users have neither; a missing one fails that request with a TypeError that names it);
 * `getUser` defaults to Passport's `req.user`. `User` and `Kind` are
 * inferred: from `loadUser` (or `getUserId`), and from the service's `userIds`.
 *
 * @example
 * ```ts
 * const options: TwoFactorRoutesOptions<User, 'integer'> = {
 *   service, // new TwoFactorService({ userIds: 'integer', ... })
 *   loadUser: (id) => users.findById(id), // id is a number
 *   passwordFingerprint: (_id, user) => user.passwordHash,
 * };
 * ```
 */
export type TwoFactorRoutesOptions<User = unknown, Kind extends UserIdKind = UserIdKind> = Omit<
  TwoFactorWebOptions<User, Request>,
  'service' | 'strategy' | 'getUser'
> & {
  /** The two-factor service; issuer, `isEligible`, `verifyPassword` and `userIds` are configured on it. */
  service: TwoFactorService<Kind>;
  /** The signed-in user as your session knows it, or undefined. Default: Passport's `req.user`. */
  getUser?: TwoFactorWebOptions<User, Request>['getUser'];
  /**
   * Loads the user the second step signs in, by id (a number for `userIds: 'integer'`); `null` or
   * `false` for one who may not sign in. Required unless you pass your own `strategy`.
   */
  loadUser?: TotpStrategyOptions<User, Kind>['loadUser'];
  /**
   * Something that changes with the user's password, e.g. its stored hash (S22): read at the
   * password step (`beginSecondFactor`) and again at the second step, which fails if it changed.
   */
  passwordFingerprint?: TotpStrategyOptions<User, Kind>['passwordFingerprint'];
  /**
   * Your own passport-totp `TotpStrategy` (e.g. the one you also give to `passport.use`), instead
   * of `loadUser` and `passwordFingerprint`.
   */
  strategy?: SecondStepStrategy;
  /** Hears every fault the routes answered with a bare 500 or 503. Default: `console.error`. */
  onError?: (error: unknown, req: Request) => void;
};

/**
 * The strategy the routes use: the host's own, or a `TotpStrategy` built from `loadUser` and
 * `passwordFingerprint`. Giving both is a `ConfigurationError`, at setup.
 */
export function secondStepStrategy<User, Kind extends UserIdKind>(
  options: TwoFactorRoutesOptions<User, Kind>,
): SecondStepStrategy | undefined {
  if (!options || typeof options !== 'object') return undefined;
  const { strategy, loadUser, passwordFingerprint, service } = options;
  if (strategy !== undefined) {
    if (loadUser !== undefined || passwordFingerprint !== undefined)
      throw new ConfigurationError(
        'createTwoFactorRouters: give loadUser and passwordFingerprint to your TotpStrategy, not beside it.',
      );
    return strategy;
  }
  if (typeof loadUser !== 'function')
    throw new ConfigurationError(
      'createTwoFactorRouters: loadUser must be a function (id) => the user, or pass your own TotpStrategy as strategy.',
    );
  return new TotpStrategy<User, Kind>({ service, loadUser, passwordFingerprint });
}

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
