/** `/account/security` (Security Settings) and `/account/users` (sub-accounts, owners only). */
import Router from '@koa/router';
import { addSubAccount, securitySettings, subAccounts } from '@secondfactor/example-billing-shared';
import { send, siteRequest } from '../middleware/request-context';
import type { RouteDependencies } from './dependencies';

/**
 * The account routes.
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const { site, requireSignedIn, requireSignedInAllowingEnrollment, renderSecuritySection } = deps;
  const router = new Router();
  router.get('/account/security', requireSignedInAllowingEnrollment, async (ctx) =>
    send(ctx, await securitySettings(siteRequest(ctx), site, () => renderSecuritySection(ctx))),
  );
  router.get('/account/users', requireSignedIn, async (ctx) => send(ctx, await subAccounts(siteRequest(ctx), site)));
  router.post('/account/users', requireSignedIn, async (ctx) => send(ctx, await addSubAccount(siteRequest(ctx), site)));
  return router;
}
