/**
 * `/account/security` (Security Settings), `/account/password`, `/account/sessions` (S31, S33),
 * `/account/users` (sub-accounts, owners only) and `/account/payment-methods` (owners only); adding a
 * user and payment methods need a recent step-up (S35).
 */
import Router from '@koa/router';
import {
  addPaymentMethod,
  addSubAccount,
  changePassword,
  listSessions,
  paymentMethods,
  revokeOtherSessions,
  revokeSession,
  securitySettings,
  subAccounts,
} from '@secondfactor/example-billing-shared';
import { send, siteRequest } from '../middleware/request-context';
import type { RouteDependencies } from './dependencies';

/**
 * The account routes.
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const {
    site,
    sessions,
    requireSignedIn,
    requireSignedInAllowingEnrollment,
    requireRecentStepUp,
    renderSecuritySection,
  } = deps;
  const router = new Router();
  // Security Settings stays reachable after a policy deadline, to enroll from (S36).
  router.get('/account/security', requireSignedInAllowingEnrollment, async (ctx) =>
    send(ctx, await securitySettings(siteRequest(ctx), site, () => renderSecuritySection(ctx), sessions)),
  );
  router.post('/account/password', requireRecentStepUp, async (ctx) =>
    send(ctx, await changePassword(siteRequest(ctx), site)),
  );
  router.get('/account/sessions', requireSignedIn, async (ctx) =>
    send(ctx, await listSessions(siteRequest(ctx), sessions)),
  );
  router.post('/account/sessions/revoke-others', requireSignedIn, async (ctx) =>
    send(ctx, await revokeOtherSessions(siteRequest(ctx), site, sessions)),
  );
  router.post('/account/sessions/:id/revoke', requireSignedIn, async (ctx) =>
    send(ctx, await revokeSession(siteRequest(ctx), site, sessions, ctx.params.id)),
  );
  router.get('/account/users', requireSignedIn, async (ctx) => send(ctx, await subAccounts(siteRequest(ctx), site)));
  router.post('/account/users', requireRecentStepUp, async (ctx) =>
    send(ctx, await addSubAccount(siteRequest(ctx), site)),
  );
  router.get('/account/payment-methods', requireRecentStepUp, async (ctx) =>
    send(ctx, await paymentMethods(siteRequest(ctx), site)),
  );
  router.post('/account/payment-methods', requireRecentStepUp, async (ctx) =>
    send(ctx, await addPaymentMethod(siteRequest(ctx), site)),
  );
  return router;
}
