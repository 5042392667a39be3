/**
 * `/account/security` (Security Settings), `/account/users` (sub-accounts, owners only) and
 * `/account/payment-methods` (owners only); adding a user and payment methods need a recent step-up (S35).
 */
import Router from '@koa/router';
import {
  addPaymentMethod,
  addSubAccount,
  paymentMethods,
  securitySettings,
  subAccounts,
} from '@secondfactor/example-billing-shared';
import { send, siteRequest } from '../middleware/request-context';
import type { RouteDependencies } from './dependencies';

/**
 * The account routes.
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const { site, requireSignedIn, requireRecentStepUp, renderSecuritySection } = deps;
  const router = new Router();
  router.get('/account/security', requireSignedIn, async (ctx) =>
    send(ctx, await securitySettings(siteRequest(ctx), site, () => renderSecuritySection(ctx))),
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
