/**
 * The account routes (`ACCOUNT_ROUTES` of the shared example code), each behind the guard it names;
 * any other method on their paths is 405.
 */
import { ACCOUNT_ROUTES, type AccountRouteGuard } from '@secondfactor/example-billing-shared';
import { Router, type RequestHandler } from 'express';
import { siteRequest } from '../middleware/request-context';
import { send } from '../middleware/send';
import { wrongMethod } from '../middleware/wrong-method';
import type { RouteDependencies } from './dependencies';

/**
 * The account routes.
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const { site, sessions, renderSecuritySection } = deps;
  const guards: Record<AccountRouteGuard, RequestHandler> = {
    signedIn: deps.requireSignedIn,
    signedInAllowingEnrollment: deps.requireSignedInAllowingEnrollment,
    recentStepUp: deps.requireRecentStepUp,
  };
  const router = Router();
  for (const path of new Set(ACCOUNT_ROUTES.map((route) => route.path))) {
    const routes = router.route(path);
    for (const route of ACCOUNT_ROUTES.filter((r) => r.path === path)) {
      const handler: RequestHandler = async (req, res) =>
        send(
          req,
          res,
          await route.answer(siteRequest(req), {
            site,
            sessions,
            params: req.params as Record<string, string>,
            renderSecuritySection: () => renderSecuritySection(req),
          }),
        );
      if (route.method === 'GET') routes.get(guards[route.guard], handler);
      else routes.post(guards[route.guard], handler);
    }
    routes.all(wrongMethod);
  }
  return router;
}
