/** `GET /clientarea`: the dashboard with the account's services and invoices. */
import Router from '@koa/router';
import { clientArea } from '@secondfactor/example-billing-shared';
import { send, siteRequest } from '../middleware/request-context';
import type { RouteDependencies } from './dependencies';

/**
 * The client area routes.
 */
export function clientAreaRoutes(deps: RouteDependencies): Router {
  const router = new Router();
  router.get('/clientarea', deps.requireSignedIn, async (ctx) =>
    send(ctx, await clientArea(siteRequest(ctx), deps.site)),
  );
  return router;
}
