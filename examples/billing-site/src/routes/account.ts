/** `/account/security` (Security Settings) and `/account/users` (sub-accounts, owners only). */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { User } from '../db/entities/user.entity';
import { csrfToken, currentUser, renderPage, setFlash, wantsJson } from '../middleware/request-context';
import { parseNewAccount } from '../services/account-input';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { toPublicUser } from '../services/user-accounts';
import { securityPage } from '../views/security-page';
import { usersPage } from '../views/users-page';
import type { RouteDependencies } from './dependencies';

function ownerOnly(ctx: Context): User {
  const user = currentUser(ctx);
  if (!user) throw new SiteError(401, SiteErrorCode.NotSignedIn, 'Sign in to continue.');
  if (user.parentId !== null)
    throw new SiteError(403, SiteErrorCode.Forbidden, 'Only the account owner can manage users.');
  return user;
}

/**
 * The account routes.
 *
 * @example
 * ```ts
 * app.use(accountRoutes(dependencies).routes());
 * ```
 */
export function accountRoutes(deps: RouteDependencies): Router {
  const { site, requireSignedIn } = deps;
  const router = new Router();

  router.get('/account/security', requireSignedIn, async (ctx) => {
    const user = currentUser(ctx);
    if (!user) return;
    if (wantsJson(ctx)) {
      const status = await site.twoFactor.status(String(user.id));
      ctx.body = {
        user: toPublicUser(user),
        twoFactor: {
          enabled: status.enabled,
          pending: status.pending,
          eligible: status.eligible,
          backupCodesRemaining: status.backupCodesRemaining,
          enabledAt: status.enabledAt,
        },
      };
      return;
    }
    const twoFactorSection = await deps.renderSecuritySection(ctx);
    renderPage(ctx, {
      title: 'Security Settings',
      active: 'security',
      body: securityPage({
        user: { name: user.name, email: user.email, isSubAccount: user.parentId !== null },
        twoFactorSection,
      }),
    });
  });

  router.get('/account/users', requireSignedIn, async (ctx) => {
    const owner = ownerOnly(ctx);
    const subAccounts = await site.accounts.listSubAccounts(owner);
    if (wantsJson(ctx)) {
      ctx.body = { owner: toPublicUser(owner), users: subAccounts.map(toPublicUser) };
      return;
    }
    renderPage(ctx, {
      title: 'Manage Users',
      active: 'users',
      body: usersPage({ csrfToken: csrfToken(ctx), owner, subAccounts }),
    });
  });

  router.post('/account/users', requireSignedIn, async (ctx) => {
    const owner = ownerOnly(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    let created: User;
    try {
      created = await site.accounts.createSubAccount(owner, parseNewAccount(body));
    } catch (error) {
      if (wantsJson(ctx) || !(error instanceof SiteError)) throw error;
      const subAccounts = await site.accounts.listSubAccounts(owner);
      const values = {
        name: typeof body.name === 'string' ? body.name : '',
        email: typeof body.email === 'string' ? body.email : '',
      };
      return renderPage(ctx, {
        title: 'Manage Users',
        active: 'users',
        status: error.status,
        body: usersPage({
          csrfToken: csrfToken(ctx),
          owner,
          subAccounts,
          values,
          error: error.message,
          fields: error.fields,
        }),
      });
    }
    if (wantsJson(ctx)) {
      ctx.status = 201;
      ctx.body = { user: toPublicUser(created) };
      return;
    }
    setFlash(ctx, { kind: 'success', text: `${created.name} can now sign in with ${created.email}.` });
    ctx.redirect('/account/users');
  });

  return router;
}
