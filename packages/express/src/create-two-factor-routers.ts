/**
 * The factory a host calls once at start-up: @secondfactor/web's routes mounted on two
 * express.Routers, the guard, the embeddable section and csrf-sync's error handler. Translation only.
 */
import { ConfigurationError, type UserIdKind } from '@secondfactor/core';
import {
  createTwoFactorWeb,
  type AddressThrottle,
  type PasswordStepOutcome,
  type RequireRecentSecondFactorOptions,
  type RequireSecondFactorOptions,
  type TwoFactorWebOptions,
} from '@secondfactor/web';
import { csrfSync } from 'csrf-sync';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import { csrfTokenFromRequest, webRequestReader } from './express-request';
import { secondStepStrategy, type TwoFactorRoutesOptions } from './options';
import { send } from './send';

/**
 * What {@link createTwoFactorRouters} returns.
 *
 * @example
 * ```ts
 * const { management, challenge, requireSecondFactor } = createTwoFactorRouters(options);
 * app.use(management, challenge);
 * ```
 */
export interface TwoFactorRouters<User = unknown> {
  /** Status, enroll, confirm, disable and backup codes, at `managementPrefix`. */
  management: Router;
  /** The second login step (GET form, POST code or backup code), at `challengePrefix`. */
  challenge: Router;
  /** Middleware for the host's protected routes, from the one access decision (S20). */
  requireSecondFactor: (options?: RequireSecondFactorOptions) => RequestHandler;
  /**
   * Middleware for sensitive routes (S35): as `requireSecondFactor`, and the session's last
   * verification must be at most `maxAgeSeconds` old, else 401 `TWO_FACTOR_STEP_UP_REQUIRED` with
   * `stepUpUrl` (JSON) or "Confirm it's you" and back (browsers).
   */
  requireRecentSecondFactor: (options?: RequireRecentSecondFactorOptions) => RequestHandler;
  /** The Two-Factor Authentication section as an HTML fragment, for the host's Security Settings page ('' when signed out). */
  renderSecuritySection: (req: Request) => Promise<string>;
  /**
   * CSRF protection for the whole app (S25), csrf-sync 4 set up for these routes: `req.csrfToken()`
   * gives the token (put it in your own forms with `csrfField`), read back from the `_csrf` body
   * field or the `x-csrf-token` header, never the query string; a refusal is 403 `TWO_FACTOR_CSRF`.
   * Mount it after the session and the body parsers. An app with its own csrf-sync keeps it and
   * mounts `csrfErrorHandler` instead.
   */
  csrfProtection: () => RequestHandler;
  /** Error middleware after csrf-sync: answers its refusal as 403 `TWO_FACTOR_CSRF` in HTML or JSON. */
  csrfErrorHandler: ErrorRequestHandler;
  /**
   * Your password step, after a correct password: with 2FA on, any earlier sign-in is dropped, the
   * session gets a new id and only a pending login bound to the password (S20, S22, S23); without
   * it, `req.logIn(user)`. Answers the `status` for `POST /login` and where a browser goes next.
   * Rejects when the store is down, so nobody is signed in unchecked.
   */
  beginSecondFactor(req: Request, user: User): Promise<PasswordStepOutcome>;
  /**
   * {@link TwoFactorRouters.beginSecondFactor} as the end of your `POST /login`, after
   * `passport.authenticate('local', …)` put the user in `req.user`: browsers are redirected (to the
   * challenge, or to `successRedirect`), JSON clients get `{ status }`, and a store fault is 503
   * `TWO_FACTOR_UNAVAILABLE`.
   */
  passwordStep: () => RequestHandler;
  /**
   * Middleware that limits a route (e.g. `POST /register`) per client address with the password
   * throttle's window (S32): each request counts one attempt of `req.ip` (checked with `net.isIP`);
   * past `addressLimit` per `addressWindowSeconds` it answers 429 `TOO_MANY_ATTEMPTS` with
   * `Retry-After`, in JSON or as the error page, and the route does not run. A store fault is 503.
   * Mount it on the route only, before its handler:
   * `app.post('/register', twoFactor.limitAttemptsByAddress(throttle), register)`.
   */
  limitAttemptsByAddress: (throttle: AddressThrottle) => RequestHandler;
}

// csrf-sync's default error code (csurf's before it).
const CSRF_ERROR_CODE = 'EBADCSRFTOKEN';

function defaultReportError(error: unknown): void {
  console.error(error);
}

/**
 * Validates the options (bad ones throw a `ConfigurationError` here, at setup) and builds the
 * routers. Mount express-session, a body parser, csrf-sync and Passport before them.
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
 * app.use(twoFactor.management, twoFactor.challenge);
 * app.post('/login', passport.authenticate('local', { failureRedirect: '/login?failed=1', session: false }), (req, res, next) => {
 *   twoFactor.beginSecondFactor(req, req.user as User).then((step) => res.redirect(step.redirectTo), next);
 * });
 * ```
 */
export function createTwoFactorRouters<User = unknown, Kind extends UserIdKind = 'string'>(
  options: TwoFactorRoutesOptions<User, Kind>,
): TwoFactorRouters<User> {
  const onError = options?.onError;
  if (onError !== undefined && typeof onError !== 'function')
    throw new ConfigurationError('createTwoFactorRouters: onError must be a function (error, req) => void.');
  const reportError = onError ?? defaultReportError;
  const web = createTwoFactorWeb(webOptionsOf(options));
  const toWebRequest = webRequestReader(web.options.bodyLimit);
  const routers = { management: express.Router(), challenge: express.Router() };
  const prefixes = { management: web.options.managementPrefix, challenge: web.options.challengePrefix };
  for (const route of web.routes) {
    const path = prefixes[route.router] + (route.path === '/' ? '' : route.path);
    const handler: RequestHandler = (req, res, next) => {
      route.handle(toWebRequest(req)).then((response) => send(req, res, response, reportError), next);
    };
    if (route.method === 'GET') routers[route.router].get(path, handler);
    else routers[route.router].post(path, handler);
  }
  const csrfErrorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if ((error as { code?: unknown } | null)?.code !== CSRF_ERROR_CODE) return next(error);
    send(req, res, web.csrfFailure(toWebRequest(req)), reportError);
  };
  return {
    ...routers,
    requireSecondFactor: (guardOptions) => {
      const guard = web.requireSecondFactor(guardOptions);
      return (req, res, next) => {
        guard(toWebRequest(req)).then((refusal) => (refusal ? send(req, res, refusal, reportError) : next()), next);
      };
    },
    requireRecentSecondFactor: (guardOptions) => {
      const guard = web.requireRecentSecondFactor(guardOptions);
      return (req, res, next) => {
        guard(toWebRequest(req)).then((refusal) => (refusal ? send(req, res, refusal, reportError) : next()), next);
      };
    },
    renderSecuritySection: (req) => web.renderSecuritySection(toWebRequest(req)),
    csrfProtection: () => {
      const { csrfSynchronisedProtection } = csrfSync({ getTokenFromRequest: csrfTokenFromRequest });
      return (req, res, next) =>
        csrfSynchronisedProtection(req, res, (error?: unknown) =>
          error === undefined ? next() : csrfErrorHandler(error, req, res, next),
        );
    },
    csrfErrorHandler,
    beginSecondFactor: (req, user) => web.passwordStep(toWebRequest(req), user),
    passwordStep: () => (req, res, next) => {
      web
        .passwordStepResponse(toWebRequest(req), req.user)
        .then((response) => send(req, res, response, reportError), next);
    },
    limitAttemptsByAddress: (throttle) => {
      const guard = web.limitAttemptsByAddress(throttle);
      return (req, res, next) => {
        guard(toWebRequest(req)).then((refusal) => (refusal ? send(req, res, refusal, reportError) : next()), next);
      };
    },
  };
}

/** The options for @secondfactor/web: the strategy resolved, `getUser` defaulting to Passport's `req.user`. */
function webOptionsOf<User, Kind extends UserIdKind>(
  options: TwoFactorRoutesOptions<User, Kind>,
): TwoFactorWebOptions<User, Request> {
  if (!options || typeof options !== 'object') return options as unknown as TwoFactorWebOptions<User, Request>;
  const {
    onError: _onError,
    loadUser: _loadUser,
    passwordFingerprint: _fingerprint,
    strategy: _strategy,
    getUser,
    ...rest
  } = options;
  return {
    ...rest,
    strategy: secondStepStrategy(options)!,
    // A pending second factor is signed out whatever this answers (S20).
    getUser: getUser ?? ((req) => (req as { user?: User }).user),
  };
}
