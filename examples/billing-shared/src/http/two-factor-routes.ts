/**
 * The settings both sites give their 2FA routes (`createTwoFactorRouters` of @secondfactor/koa or
 * @secondfactor/express): who the user is to the service, where a finished login goes, and pages
 * in the site layout. Only `getUser` and the request passed to the layout are the framework's.
 */
import type { TotpStrategy } from '@secondfactor/passport-totp';
import type { LayoutPage } from '@secondfactor/web';
import type { User } from '../db/entities/user.entity';
import type { SiteContext } from '../services/site-context';
import { renderSitePage, type PageRequest } from './site-page';

/**
 * The framework-neutral options of the 2FA routes: the service, the strategy, user ids and account
 * names (the email, shown in the authenticator app), the login paths, and step-up (S35).
 */
export function twoFactorRouteSettings(context: SiteContext, strategy: TotpStrategy) {
  return {
    service: context.twoFactor,
    strategy,
    getUserId: (user: User) => String(user.id),
    getAccountName: (user: User) => user.email,
    // S31: read off the user Passport already loaded; sessions with an older stamp are signed out.
    getSecurityStamp: (user: User) => user.securityStamp,
    successRedirect: '/clientarea',
    loginPath: '/login',
    // S35: how long a sign-in or "Confirm it's you" covers sensitive actions, and the password
    // check for users without 2FA, throttled per account (S29).
    stepUpMaxAgeSeconds: context.config.stepUpMaxAgeSeconds,
    verifyStepUpPassword: ({ user, password }: { user: User; password: string }) =>
      context.stepUpPasswords.check(String(user.id), password),
    // Security Settings embed the section: Continue and Cancel lead back there.
    settingsPath: '/account/security',
  };
}

/**
 * A page of the 2FA routes in the site layout: the challenge under Login, the rest under Security
 * Settings.
 */
export function twoFactorPage(request: PageRequest, page: LayoutPage, path: string): string {
  return renderSitePage(request, {
    title: page.title,
    body: page.body,
    active: path.startsWith('/login') ? 'login' : 'security',
  });
}
