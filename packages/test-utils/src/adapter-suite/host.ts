/**
 * What an adapter's test host is: an existing app with passport-local, the password step leaving a
 * pending second factor, the adapter's CSRF middleware and both two-factor routers. Each adapter
 * package builds one (Koa, Express); the suite drives it over HTTP only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressThrottle, TwoFactorWebOptions } from '@secondfactor/web';
import type { World } from './world';

/** The user object the host keeps in its session (`ctx.state.user`, `req.user`). */
export interface SessionUser {
  id: string;
  email: string;
}

/**
 * How to build a host. Every host serves:
 * - `POST /login` (the password step, through the adapter's `beginSecondFactor` or `passwordStep()`:
 *   `{ status }` for JSON, a redirect to the challenge or `successRedirect` for a browser; 503 when
 *   the store is down),
 * - `GET /session` (`{ sessionId, csrfToken, user, pending }`),
 * - `GET /clientarea` behind `requireSecondFactor()`, answering `{ area: 'client', user }`,
 * - `GET /reports` behind `requireSecondFactor({ redirectTo: '/sign-in' })`,
 * - `GET /billing` behind `requireRecentSecondFactor({ maxAgeSeconds: 60 })`, answering `{ area: 'billing' }`,
 * - `GET /account/security` (an HTML page embedding `renderSecuritySection`),
 * - `GET /embed` (`[` + `renderSecuritySection` + `]`),
 * - and the management and challenge routers at their default prefixes.
 */
export interface AdapterHostOptions {
  /** Extra or replaced router options (views, texts, layout, requireCsrf, bodyLimit, service…). */
  routes?: Partial<TwoFactorWebOptions<SessionUser, unknown>>;
  /** Mount the framework's usual body parser before the routers (1 MB limit). Default true. */
  hostBodyParser?: boolean;
  /** Mount the adapter's CSRF middleware (koa-csrf, csrf-sync). Default true. */
  csrf?: boolean;
  /** Use the routers' csrfErrorHandler for the CSRF middleware. Default true. */
  csrfErrorHandler?: boolean;
  /** The world to serve; a fresh one by default. */
  world?: World;
  /**
   * Serve `POST /register` (201 `{ status: 'registered' }`) behind the adapter's
   * `limitAttemptsByAddress(throttle)`, trusting one proxy hop so `X-Forwarded-For` names the client (S32).
   */
  addressThrottle?: AddressThrottle;
}

/**
 * A built host.
 */
export interface AdapterHost {
  /** The app as a Node request listener, for supertest. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  world: World;
  /** Session store contents by session id. */
  sessions: Map<string, Record<string, unknown>>;
  /** Faults the routers reported to the host's logger. */
  errors: unknown[];
}

/**
 * An adapter's host factory.
 */
export type CreateHost = (options?: AdapterHostOptions) => AdapterHost;
