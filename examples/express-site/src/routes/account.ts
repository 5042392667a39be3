/**
 * `/account/security` (Security Settings), `/account/password`, `/account/sessions` (S31, S33),
 * `/account/users` (sub-accounts, owners only) and `/account/payment-methods` (owners only); adding a
 * user and payment methods need a recent step-up (S35).
 */
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
import { Router } from 'express';
import { siteRequest } from '../middleware/request-context';
import { send } from '../middleware/send';
import { wrongMethod } from '../middleware/wrong-method';
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
  const router = Router();
  router
    .route('/account/security')
    .get(requireSignedInAllowingEnrollment, async (req, res) =>
      send(req, res, await securitySettings(siteRequest(req), site, () => renderSecuritySection(req), sessions)),
    )
    .all(wrongMethod);
  router
    .route('/account/password')
    .post(requireRecentStepUp, async (req, res) => send(req, res, await changePassword(siteRequest(req), site)))
    .all(wrongMethod);
  router
    .route('/account/sessions')
    .get(requireSignedIn, async (req, res) => send(req, res, await listSessions(siteRequest(req), sessions)))
    .all(wrongMethod);
  router
    .route('/account/sessions/revoke-others')
    .post(requireSignedIn, async (req, res) =>
      send(req, res, await revokeOtherSessions(siteRequest(req), site, sessions)),
    )
    .all(wrongMethod);
  router
    .route('/account/sessions/:id/revoke')
    .post(requireSignedIn, async (req, res) =>
      send(req, res, await revokeSession(siteRequest(req), site, sessions, String(req.params.id))),
    )
    .all(wrongMethod);
  router
    .route('/account/users')
    .get(requireSignedIn, async (req, res) => send(req, res, await subAccounts(siteRequest(req), site)))
    .post(requireRecentStepUp, async (req, res) => send(req, res, await addSubAccount(siteRequest(req), site)))
    .all(wrongMethod);
  router
    .route('/account/payment-methods')
    .get(requireRecentStepUp, async (req, res) => send(req, res, await paymentMethods(siteRequest(req), site)))
    .post(requireRecentStepUp, async (req, res) => send(req, res, await addPaymentMethod(siteRequest(req), site)))
    .all(wrongMethod);
  return router;
}
