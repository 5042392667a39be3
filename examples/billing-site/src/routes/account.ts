/**
 * `/account/security` (Security Settings), `/account/password`, `/account/sessions` (S31, S33) and
 * `/account/users` (sub-accounts, owners only).
 */
import Router from '@koa/router';
import {
  addSubAccount,
  changePassword,
  listSessions,
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
  const { site, sessions, requireSignedIn, requireSignedInAllowingEnrollment, renderSecuritySection } = deps;
  const router = new Router();
  // Security Settings stays reachable after a policy deadline, to enroll from (S36).
  router.get('/account/security', requireSignedInAllowingEnrollment, async (ctx) =>
    send(ctx, await securitySettings(siteRequest(ctx), site, () => renderSecuritySection(ctx), sessions)),
  );
  router.post('/account/password', requireSignedIn, async (ctx) =>
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
  router.post('/account/users', requireSignedIn, async (ctx) => send(ctx, await addSubAccount(siteRequest(ctx), site)));
  return router;
}
