/** `GET /clientarea`: the dashboard with the account's services and invoices. */
import { clientArea } from '@secondfactor/example-billing-shared';
import { Router } from 'express';
import { siteRequest } from '../middleware/request-context';
import { send } from '../middleware/send';
import { wrongMethod } from '../middleware/wrong-method';
import type { RouteDependencies } from './dependencies';

/**
 * The client area routes.
 */
export function clientAreaRoutes(deps: RouteDependencies): Router {
  const router = Router();
  router
    .route('/clientarea')
    .get(deps.requireSignedIn, async (req, res) => send(req, res, await clientArea(siteRequest(req), deps.site)))
    .all(wrongMethod);
  return router;
}
