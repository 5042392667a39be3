/**
 * The framework-neutral request the handlers read. An adapter (@secondfactor/koa,
 * @secondfactor/express) builds one from `ctx` or `req`; it holds no decision of its own.
 */
import type { RequestMeta } from '@secondfactor/core';

/**
 * The login in progress in a session (S20): none, a pending second factor, or one that expired.
 * Only `'none'` can be a signed-in session.
 *
 * @example
 * ```ts
 * const state: LoginState = strategy.loginState(req.session);
 * ```
 */
export type LoginState = 'none' | 'pending' | 'expired';

/**
 * The session as the handlers use it.
 *
 * @example
 * ```ts
 * const session: WebSession = { data: req.session, logIn: (user) => logInWithPassport(req, user) };
 * ```
 */
export interface WebSession {
  /** express-session's `req.session` or koa-session's `ctx.session`; undefined without one. */
  data: object | undefined;
  /**
   * Signs the user in after the second step; Passport 0.7 regenerates the session in it (S23).
   * Resolves to the session object to write to from then on, when it is not `data` any more.
   */
  logIn(user: unknown): Promise<object | void>;
  /**
   * Gives the session a new id (S23) and resolves to the session object to write to from then on
   * (koa-session keeps the data, express-session starts empty). Absent when the session cannot
   * regenerate; the password step then refuses with a `ConfigurationError`.
   */
  regenerate?(): Promise<object>;
  /** Forgets a user signed in earlier, in the session (Passport's entry) and on the request. */
  forgetUser?(): void;
  /**
   * The session object as it is now: after `logIn` or `regenerate` express-session has a new one.
   * Absent: `data` is used.
   */
  current?(): object | undefined;
}

/**
 * The request's cookies and a way to set one on the answer, for the trusted-device cookie (S34).
 * Adapters append, so the session middleware's own Set-Cookie stays.
 *
 * @example
 * ```ts
 * const cookies: WebCookies = {
 *   header: ctx.get('cookie'), secure: ctx.secure, append: (value) => ctx.append('Set-Cookie', value),
 * };
 * ```
 */
export interface WebCookies {
  /** The request's `Cookie` header, or `''`. */
  header: string;
  /** Whether the request came over https as the framework sees it (proxy settings included). */
  secure: boolean;
  /** Adds one `Set-Cookie` header to the answer. */
  append(setCookie: string): void;
}

/**
 * One request, as the handlers see it. `N` is the framework's own request (`ctx` or `req`), passed
 * back unchanged to the host's hooks (`getUser`, `layout`, view overrides).
 *
 * @example
 * ```ts
 * const request: WebRequest<Context> = {
 *   method: ctx.method, path: ctx.path, params: ctx.params ?? {}, query: ctx.query,
 *   readBody: async () => ctx.request.body, accept: ctx.get('accept'), contentType: ctx.get('content-type'),
 *   csrfToken: ctx.state._csrf, session, meta: { ip: ctx.ip, userAgent: ctx.get('user-agent') }, native: ctx,
 * };
 * ```
 */
export interface WebRequest<N = unknown> {
  /** `GET`, `POST`, … */
  method: string;
  /** The whole path, prefix included, without the query string. */
  path: string;
  /** Route parameters, e.g. `{ id }`. */
  params: Readonly<Record<string, string>>;
  /** The parsed query string; codes and passwords are never read from it (S25). */
  query: Readonly<Record<string, unknown>>;
  /** The parsed body (form or JSON), parsed on first call; rejects when it cannot be read. */
  readBody(): Promise<unknown>;
  /** The `Accept` header, or `''`. */
  accept: string;
  /** The `Content-Type` header, or `''`. */
  contentType: string;
  /** The CSRF token of this session, when the host's CSRF middleware provides one (S25). */
  csrfToken: string | undefined;
  session: WebSession;
  /** Cookie access; without it, trusted devices (S34) are neither offered nor honoured. */
  cookies?: WebCookies;
  /** Client address and user agent as the framework sees them, for events (S27). */
  meta: RequestMeta;
  /** The framework's own request, for the host's hooks. */
  native: N;
}
