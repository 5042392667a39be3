/** `GET /clientarea`: the dashboard with the account's services and invoices. */
import Router from '@koa/router';
import { BillingService } from '../db/entities/billing-service.entity';
import { Invoice } from '../db/entities/invoice.entity';
import { currentUser, renderPage, wantsJson } from '../middleware/request-context';
import { toPublicUser } from '../services/user-accounts';
import { clientAreaPage } from '../views/client-area-page';
import type { RouteDependencies } from './dependencies';

/**
 * The client area routes.
 *
 * @example
 * ```ts
 * app.use(clientAreaRoutes(dependencies).routes());
 * ```
 */
export function clientAreaRoutes(deps: RouteDependencies): Router {
  const { site, requireSignedIn } = deps;
  const router = new Router();
  router.get('/clientarea', requireSignedIn, async (ctx) => {
    const user = currentUser(ctx);
    if (!user) return;
    const accountId = site.accounts.accountIdOf(user);
    const [services, invoices, owner, twoFactor] = await Promise.all([
      site.dataSource.getRepository(BillingService).find({ where: { accountId }, order: { id: 'ASC' } }),
      site.dataSource.getRepository(Invoice).find({ where: { accountId }, order: { issuedOn: 'DESC', id: 'DESC' } }),
      user.parentId === null ? Promise.resolve(null) : site.accounts.findById(user.parentId),
      site.twoFactor.status(String(user.id)),
    ]);
    if (wantsJson(ctx)) {
      ctx.body = {
        user: toPublicUser(user),
        services,
        invoices,
        twoFactor: { enabled: twoFactor.enabled, eligible: twoFactor.eligible },
      };
      return;
    }
    renderPage(ctx, {
      title: 'Client Area',
      active: 'clientarea',
      body: clientAreaPage({
        user: { name: user.name, email: user.email, isSubAccount: user.parentId !== null },
        accountOwnerName: owner?.name ?? null,
        services,
        invoices,
        twoFactorEnabled: twoFactor.enabled,
        twoFactorEligible: twoFactor.eligible,
      }),
    });
  });
  return router;
}
