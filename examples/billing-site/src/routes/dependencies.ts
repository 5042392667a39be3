/** What the site's route factories receive. */
import type { Context } from 'koa';
import type koaPassport from 'koa-passport';
import type { DemoAccount } from '../db/demo-data';
import type { SiteContext } from '../services/site-context';

/** A koa-passport instance (one per app, so two apps in one process never share strategies). */
export type SitePassport = InstanceType<typeof koaPassport.KoaPassport>;

/**
 * Shared services for route factories.
 *
 * @example
 * ```ts
 * app.use(authRoutes({ site, passport, demoLogins: [], renderSecuritySection }).routes());
 * ```
 */
export interface RouteDependencies {
  site: SiteContext;
  passport: SitePassport;
  /** Demo logins shown on the login page (empty unless demo data is seeded). */
  demoLogins: DemoAccount[];
  /** The Two-Factor Authentication section from `@secondfactor/koa`. */
  renderSecuritySection: (ctx: Context) => Promise<string>;
}
