/**
 * The account routes (`ACCOUNT_ROUTES` of the shared example code), each behind the guard it names.
 */
import Router from '@koa/router';
import { ACCOUNT_ROUTES, type AccountRouteGuard } from '@secondfactor/example-billing-shared';
import type { Middleware } from 'koa';
import { send, siteRequest } from '../middleware/request-context';
import type { RouteDependencies } from './dependencies';

/**
 * The account routes.
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const { site, sessions, renderSecuritySection } = deps;
  const guards: Record<AccountRouteGuard, Middleware> = {
    signedIn: deps.requireSignedIn,
    signedInAllowingEnrollment: deps.requireSignedInAllowingEnrollment,
    recentStepUp: deps.requireRecentStepUp,
  };
  const router = new Router();
  for (const route of ACCOUNT_ROUTES) {
    router.register(
      route.path,
      [route.method],
      [
        guards[route.guard],
        async (ctx) =>
          send(
            ctx,
            await route.answer(siteRequest(ctx), {
              site,
              sessions,
              params: ctx.params,
              renderSecuritySection: () => renderSecuritySection(ctx),
            }),
          ),
      ],
    );
  }
  return router;
}
