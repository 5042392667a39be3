/** `/account/security` (Security Settings) and `/account/users` (sub-accounts, owners only). */
import { addSubAccount, securitySettings, subAccounts } from '@secondfactor/example-billing-shared';
import { Router } from 'express';
import { siteRequest } from '../middleware/request-context';
import { send } from '../middleware/send';
import { wrongMethod } from '../middleware/wrong-method';
import type { RouteDependencies } from './dependencies';

/**
 * The account routes.
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const { site, requireSignedIn, requireSignedInAllowingEnrollment, renderSecuritySection } = deps;
  const router = Router();
  router
    .route('/account/security')
    .get(requireSignedInAllowingEnrollment, async (req, res) =>
      send(req, res, await securitySettings(siteRequest(req), site, () => renderSecuritySection(req))),
    )
    .all(wrongMethod);
  router
    .route('/account/users')
    .get(requireSignedIn, async (req, res) => send(req, res, await subAccounts(siteRequest(req), site)))
    .post(requireSignedIn, async (req, res) => send(req, res, await addSubAccount(siteRequest(req), site)))
    .all(wrongMethod);
  return router;
}
