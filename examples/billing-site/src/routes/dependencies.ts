/** What the site's route factories receive. */
import type { DemoAccount, SiteContext, User } from '@secondfactor/example-billing-shared';
import type { TwoFactorRouters } from '@secondfactor/koa';
import type { SessionStore } from '@secondfactor/sessions';
import type { Context, Middleware } from 'koa';
import type koaPassport from 'koa-passport';

/** A koa-passport instance (one per app, so two apps in one process never share strategies). */
export type SitePassport = InstanceType<typeof koaPassport.KoaPassport>;

/**
 * Shared services for route factories.
 */
export interface RouteDependencies {
  site: SiteContext;
  /** The session store, for the session list (S33). */
  sessions: SessionStore;
  passport: SitePassport;
  /** Demo logins shown on the login page (empty unless demo data is seeded). */
  demoLogins: DemoAccount[];
  /**
   * The guard of every signed-in page: `requireSecondFactor` of `@secondfactor/koa`. A pending second
   * factor counts as signed out (S20): browsers go to the login page (or the challenge), JSON clients
   * get 401 `TWO_FACTOR_SIGN_IN_REQUIRED` (or `TWO_FACTOR_REQUIRED`).
   */
  requireSignedIn: Middleware;
  /**
   * The guard of sensitive actions (S35): `requireRecentSecondFactor` of the 2FA routers. Without a
   * verification (sign-in or "Confirm it's you") within `STEP_UP_MAX_AGE_SECONDS`, JSON clients get
   * 401 `TWO_FACTOR_STEP_UP_REQUIRED` with `stepUpUrl` and browsers go to "Confirm it's you" and back.
   */
  requireRecentStepUp: Middleware;
  /**
   * The same guard for Security Settings, which a user the 2FA policy requires must still reach
   * after the grace deadline, to turn 2FA on (S36).
   */
  requireSignedInAllowingEnrollment: Middleware;
  /** The Two-Factor Authentication section from `@secondfactor/koa`. */
  renderSecuritySection: (ctx: Context) => Promise<string>;
  /** The one-call password step of `@secondfactor/koa`: a pending second factor, or a full sign-in. */
  beginSecondFactor: TwoFactorRouters<User>['beginSecondFactor'];
  /**
   * The per-address limit of `POST /register` (S32): `limitAttemptsByAddress` of `@secondfactor/koa`
   * over the password throttle, 429 `TOO_MANY_ATTEMPTS` with `Retry-After` past `LOGIN_IP_LIMIT`.
   */
  limitRegistrations: Middleware;
}
