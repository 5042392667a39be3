/**
 * The signed-in pages both sites serve: the client area, Security Settings and the
 * owner's sub-accounts at `/account/users`. The framework's guard has already let only a fully
 * signed-in user through (S20); the decisions are made here.
 */
import type { User } from '../db/entities/user.entity';
import { BillingService } from '../db/entities/billing-service.entity';
import { Invoice } from '../db/entities/invoice.entity';
import { parseNewAccount } from '../services/account-input';
import type { SiteContext } from '../services/site-context';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { toPublicUser } from '../services/user-accounts';
import { clientAreaPage } from '../views/client-area-page';
import { securityPage } from '../views/security-page';
import { usersPage } from '../views/users-page';
import type { SessionStore } from '@secondfactor/sessions';
import { AccountEventType } from '../services/account-events';
import { sendAccountMail } from '../services/account-mail';
import { accountSections } from './account-protection-pages';
import { setFlash } from './flash';
import { formValues, json, page, redirect, type SiteAnswer, type SiteRequest } from './site-answer';

function signedIn(request: SiteRequest): User {
  if (!request.user) throw new SiteError(401, SiteErrorCode.NotSignedIn, 'Sign in to continue.');
  return request.user;
}

function ownerOnly(request: SiteRequest): User {
  const user = signedIn(request);
  if (user.parentId !== null)
    throw new SiteError(403, SiteErrorCode.Forbidden, 'Only the account owner can manage users.');
  return user;
}

const asViewUser = (user: User) => ({ name: user.name, email: user.email, isSubAccount: user.parentId !== null });

/**
 * `GET /clientarea`: the account's services and invoices (a sub-account sees its owner's).
 */
export async function clientArea(request: SiteRequest, site: SiteContext): Promise<SiteAnswer> {
  const user = signedIn(request);
  const accountId = site.accounts.accountIdOf(user);
  const [services, invoices, owner, twoFactor] = await Promise.all([
    site.dataSource.getRepository(BillingService).find({ where: { accountId }, order: { id: 'ASC' } }),
    site.dataSource.getRepository(Invoice).find({ where: { accountId }, order: { issuedOn: 'DESC', id: 'DESC' } }),
    user.parentId === null ? Promise.resolve(null) : site.accounts.findById(user.parentId),
    site.twoFactor.status(String(user.id)),
  ]);
  if (request.json)
    return json({
      user: toPublicUser(user),
      services,
      invoices,
      twoFactor: { enabled: twoFactor.enabled, eligible: twoFactor.eligible },
    });
  // S36: during the grace period the page shows the deadline and a link to turn 2FA on.
  const inGrace = twoFactor.required && !twoFactor.enabled && twoFactor.requiredBy;
  return page({
    title: 'Client Area',
    active: 'clientarea',
    enrollmentRequiredBy: inGrace ? inGrace : undefined,
    body: clientAreaPage({
      user: asViewUser(user),
      accountOwnerName: owner?.name ?? null,
      services,
      invoices,
      twoFactorEnabled: twoFactor.enabled,
      twoFactorEligible: twoFactor.eligible,
    }),
  });
}

/**
 * `GET /account/security`: Security Settings with the Two-Factor Authentication section the
 * adapter renders (`renderSecuritySection`); JSON clients get the account and its 2FA status.
 */
export async function securitySettings(
  request: SiteRequest,
  site: SiteContext,
  renderSecuritySection: () => Promise<string>,
  sessions: SessionStore,
): Promise<SiteAnswer> {
  const user = signedIn(request);
  if (request.json) {
    const status = await site.twoFactor.status(String(user.id));
    return json({
      user: toPublicUser(user),
      twoFactor: {
        enabled: status.enabled,
        pending: status.pending,
        eligible: status.eligible,
        backupCodesRemaining: status.backupCodesRemaining,
        enabledAt: status.enabledAt,
        required: status.required,
        requiredBy: status.requiredBy,
      },
    });
  }
  return page({
    title: 'Security Settings',
    active: 'security',
    body: securityPage({
      user: asViewUser(user),
      twoFactorSection: await renderSecuritySection(),
      accountSections: await accountSections(request, sessions),
    }),
  });
}

/**
 * `GET /account/users`: the owner's sub-accounts; 403 `FORBIDDEN` for a sub-account.
 */
export async function subAccounts(request: SiteRequest, site: SiteContext): Promise<SiteAnswer> {
  const owner = ownerOnly(request);
  const users = await site.accounts.listSubAccounts(owner);
  if (request.json) return json({ owner: toPublicUser(owner), users: users.map(toPublicUser) });
  return page({
    title: 'Manage Users',
    active: 'users',
    body: usersPage({ csrfToken: request.csrfToken, owner, subAccounts: users }),
  });
}

/**
 * `POST /account/users`: the owner adds a sub-account (201 with the user, or back to the list with a
 * flash message); 400 with per-field messages, 409 `EMAIL_TAKEN`, 403 for a sub-account. Audited,
 * and the owner is mailed.
 */
export async function addSubAccount(request: SiteRequest, site: SiteContext): Promise<SiteAnswer> {
  const owner = ownerOnly(request);
  let created: User;
  try {
    created = await site.accounts.createSubAccount(owner, parseNewAccount(request.body));
  } catch (error) {
    if (request.json || !(error instanceof SiteError)) throw error;
    return page({
      title: 'Error: Manage Users',
      active: 'users',
      status: error.status,
      body: usersPage({
        csrfToken: request.csrfToken,
        owner,
        subAccounts: await site.accounts.listSubAccounts(owner),
        values: formValues(request.body),
        error: error.message,
        fields: error.fields,
      }),
    });
  }
  // A sensitive action: audited, and the owner hears of it by mail.
  await site.recordEvent({
    type: AccountEventType.SubAccountCreated,
    userId: String(created.id),
    actorId: String(owner.id),
    ip: request.ip,
    userAgent: request.userAgent,
  });
  await sendAccountMail(site, {
    to: owner,
    kind: 'subAccountCreated',
    text: `${created.name} <${created.email}> was added as a user of your account and can now sign in.`,
  });
  if (request.json) return json({ user: toPublicUser(created) }, 201);
  setFlash(request.session, { kind: 'success', text: `${created.name} can now sign in with ${created.email}.` });
  return redirect('/account/users');
}
