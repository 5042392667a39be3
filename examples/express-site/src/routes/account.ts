/**
 * `/account/security` (Security Settings), `/account/password`, `/account/sessions` (S31, S33) and
 * `/account/users` (sub-accounts, owners only).
 */
import {
  addSubAccount,
  changePassword,
  listSessions,
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
  const { site, sessions, requireSignedIn, requireSignedInAllowingEnrollment, renderSecuritySection } = deps;
  const router = Router();
  router
    .route('/account/security')
    .get(requireSignedInAllowingEnrollment, async (req, res) =>
      send(req, res, await securitySettings(siteRequest(req), site, () => renderSecuritySection(req), sessions)),
    )
    .all(wrongMethod);
  router
    .route('/account/password')
    .post(requireSignedIn, async (req, res) => send(req, res, await changePassword(siteRequest(req), site)))
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
    .post(requireSignedIn, async (req, res) => send(req, res, await addSubAccount(siteRequest(req), site)))
    .all(wrongMethod);
  return router;
}
