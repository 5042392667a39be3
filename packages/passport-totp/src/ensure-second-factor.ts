/** The Express guard for routes that need a full sign-in, password and second factor (S20). */
import type { SessionLike } from './pending-second-factor';
import {
  authenticationRequiredBody,
  checkGuardOptions,
  isFullySignedIn,
  type EnsureSecondFactorOptions,
} from './sign-in-guard';

/**
 * The part of an Express request the guard reads; an Express `Request` fits.
 *
 * @example
 * ```ts
 * const guarded = (req: express.Request): ExpressGuardRequest => req;
 * ```
 */
export interface ExpressGuardRequest {
  session?: SessionLike | null;
  /** Added by `passport.initialize()`. */
  isAuthenticated?: () => boolean;
  accepts(...types: string[]): string | false;
}

/**
 * The part of an Express response the guard writes; an Express `Response` fits.
 *
 * @example
 * ```ts
 * const guarded = (res: express.Response): ExpressGuardResponse => res;
 * ```
 */
export interface ExpressGuardResponse {
  status(code: number): { json(body: unknown): unknown };
  redirect(url: string): void;
}

/**
 * An Express middleware, as {@link ensureSecondFactor} returns it.
 *
 * @example
 * ```ts
 * const guard: ExpressGuard = ensureSecondFactor();
 * app.use('/account', guard);
 * ```
 */
export type ExpressGuard = (
  req: ExpressGuardRequest,
  res: ExpressGuardResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express middleware that lets only fully signed-in sessions through. A session whose second
 * factor is pending is treated as signed out (S20): 401 JSON, or a redirect for browsers when
 * `redirectTo` is set.
 *
 * @example
 * ```ts
 * app.get('/clientarea', ensureSecondFactor({ redirectTo: '/login' }), (req, res) => {
 *   res.json({ user: req.user });
 * });
 * ```
 */
export function ensureSecondFactor(options?: EnsureSecondFactorOptions): ExpressGuard {
  const { redirectTo } = checkGuardOptions(options);
  return function ensureSecondFactorMiddleware(req, res, next) {
    let signedIn: boolean;
    try {
      signedIn = isFullySignedIn(req.session, req.isAuthenticated, req);
    } catch (error) {
      next(error);
      return;
    }
    if (signedIn) {
      next();
      return;
    }
    if (redirectTo !== undefined && req.accepts('json', 'html') === 'html') {
      res.redirect(redirectTo);
      return;
    }
    res.status(401).json(authenticationRequiredBody());
  };
}
