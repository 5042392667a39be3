/**
 * Two-factor authentication for the Express site, in one place: the TOTP strategy beside
 * passport-local, and the routers of @secondfactor/express (management and challenge, the guard,
 * the Security Settings section) in the site's layout.
 */
import {
  twoFactorPage,
  twoFactorRouteSettings,
  useSiteStrategies,
  type PassportRegistry,
  type SiteContext,
  type User,
} from '@secondfactor/example-billing-shared';
import { createTwoFactorRouters, type TwoFactorRouters } from '@secondfactor/express';
import { pageRequest } from './middleware/request-context';

/**
 * Registers the site's Passport strategies (passport-local and TOTP) and builds the 2FA routers.
 * Mount express-session, the body parsers, csrf-sync and Passport before the routers.
 */
export function addTwoFactor(context: SiteContext, passport: PassportRegistry): TwoFactorRouters {
  const totp = useSiteStrategies(passport, context);
  return createTwoFactorRouters<User>({
    ...twoFactorRouteSettings(context, totp),
    getUser: (req) => req.user as User | undefined,
    layout: (req, page) => twoFactorPage(pageRequest(req), page, req.path),
    onError: (error) => context.log(`2fa routes: ${error instanceof Error ? error.message : String(error)}`),
  });
}
