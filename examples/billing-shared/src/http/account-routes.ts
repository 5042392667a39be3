/**
 * The account routes of both sites as one table: `/account/security` (Security Settings),
 * `/account/password`, `/account/sessions` (S31, S33), `/account/users` (sub-accounts, owners only)
 * and `/account/payment-methods` (owners only). Each names the guard it runs behind; adding a
 * user, the password change and payment methods need a recent step-up (S35). Koa and Express
 * mount the same rows.
 */
import type { SessionStore } from '@secondfactor/sessions';
import type { SiteContext } from '../services/site-context';
import { addSubAccount, securitySettings, subAccounts } from './account-pages';
import { changePassword, listSessions, revokeOtherSessions, revokeSession } from './account-protection-pages';
import { addPaymentMethod, paymentMethods } from './payment-method-pages';
import type { SiteAnswer, SiteRequest } from './site-answer';

/**
 * The guard a route runs behind:
 * - `signedIn`: a full sign-in (`requireSecondFactor`);
 * - `signedInAllowingEnrollment`: the same, still reachable after a 2FA policy deadline, to enroll from (S36);
 * - `recentStepUp`: a sign-in or "Confirm it's you" within the step-up max age (S35).
 */
export type AccountRouteGuard = 'signedIn' | 'signedInAllowingEnrollment' | 'recentStepUp';

/** What an account route's answer needs besides the request. */
export interface AccountRouteContext {
  site: SiteContext;
  /** The session store, for the session list (S33). */
  sessions: SessionStore;
  /** The path parameters (`:id`). */
  params: Record<string, string>;
  /** The Two-Factor Authentication section of Security Settings, from the framework's 2FA routes. */
  renderSecuritySection(): Promise<string>;
}

/** One account route. */
export interface AccountRoute {
  method: 'GET' | 'POST';
  /** The path, with `:id` parameters as both routers write them. */
  path: string;
  guard: AccountRouteGuard;
  answer(request: SiteRequest, context: AccountRouteContext): Promise<SiteAnswer>;
}

/** Every account route, in mounting order. */
export const ACCOUNT_ROUTES: readonly AccountRoute[] = Object.freeze([
  {
    method: 'GET',
    path: '/account/security',
    guard: 'signedInAllowingEnrollment',
    answer: (request, { site, sessions, renderSecuritySection }) =>
      securitySettings(request, site, renderSecuritySection, sessions),
  },
  {
    method: 'POST',
    path: '/account/password',
    guard: 'recentStepUp',
    answer: (request, { site }) => changePassword(request, site),
  },
  {
    method: 'GET',
    path: '/account/sessions',
    guard: 'signedIn',
    answer: (request, { sessions }) => listSessions(request, sessions),
  },
  {
    method: 'POST',
    path: '/account/sessions/revoke-others',
    guard: 'signedIn',
    answer: (request, { site, sessions }) => revokeOtherSessions(request, site, sessions),
  },
  {
    method: 'POST',
    path: '/account/sessions/:id/revoke',
    guard: 'signedIn',
    answer: (request, { site, sessions, params }) => revokeSession(request, site, sessions, String(params.id)),
  },
  {
    method: 'GET',
    path: '/account/users',
    guard: 'signedIn',
    answer: (request, { site }) => subAccounts(request, site),
  },
  {
    method: 'POST',
    path: '/account/users',
    guard: 'recentStepUp',
    answer: (request, { site }) => addSubAccount(request, site),
  },
  {
    method: 'GET',
    path: '/account/payment-methods',
    guard: 'recentStepUp',
    answer: (request, { site }) => paymentMethods(request, site),
  },
  {
    method: 'POST',
    path: '/account/payment-methods',
    guard: 'recentStepUp',
    answer: (request, { site }) => addPaymentMethod(request, site),
  },
] satisfies AccountRoute[]);
