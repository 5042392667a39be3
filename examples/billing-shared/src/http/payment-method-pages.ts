/**
 * `GET|POST /account/payment-methods`: the owner's cards on file. The framework's routes put
 * `requireRecentSecondFactor` in front (S35): reaching payment settings needs a recent
 * verification. Only a label and the last four digits are kept; a card number is refused.
 */
import { PaymentMethod } from '../db/entities/payment-method.entity';
import type { User } from '../db/entities/user.entity';
import type { SiteContext } from '../services/site-context';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { paymentMethodsPage } from '../views/payment-methods-page';
import { setFlash } from './flash';
import { json, page, redirect, type SiteAnswer, type SiteRequest } from './site-answer';

/** A validated new payment method. */
export interface NewPaymentMethod {
  label: string;
  lastFour: string;
}

function ownerOnly(request: SiteRequest): User {
  const user = request.user;
  if (!user) throw new SiteError(401, SiteErrorCode.NotSignedIn, 'Sign in to continue.');
  if (user.parentId !== null)
    throw new SiteError(403, SiteErrorCode.Forbidden, 'Only the account owner can manage payment methods.');
  return user;
}

/**
 * Validates `{ label, lastFour }`; 400 `INVALID_INPUT` with a message per field. A body carrying a
 * card number (`cardNumber`, `number`, `pan`) is refused whole: the site never takes one.
 *
 * @example
 * ```ts
 * parsePaymentMethod({ label: 'Company Visa', lastFour: '4242' });
 * ```
 */
export function parsePaymentMethod(body: Record<string, unknown>): NewPaymentMethod {
  for (const field of ['cardNumber', 'number', 'pan'])
    if (Object.hasOwn(body, field))
      throw new SiteError(
        400,
        SiteErrorCode.InvalidInput,
        'Card numbers are not accepted here: send only the last four digits.',
        {
          lastFour: 'Enter only the last four digits.',
        },
      );
  const fields: Record<string, string> = {};
  const label = typeof body.label === 'string' ? body.label.trim().replace(/\s+/g, ' ') : '';
  // eslint-disable-next-line no-control-regex
  if (!label || label.length > 60 || /[\u0000-\u001f\u007f<>]/.test(label))
    fields.label = 'Enter a label (up to 60 characters).';
  const lastFour = typeof body.lastFour === 'string' ? body.lastFour.trim() : '';
  if (!/^[0-9]{4}$/.test(lastFour)) fields.lastFour = 'Enter the last four digits of the card.';
  if (Object.keys(fields).length > 0)
    throw new SiteError(400, SiteErrorCode.InvalidInput, 'Check the highlighted fields.', fields);
  return { label, lastFour };
}

async function listMethods(site: SiteContext, accountId: number): Promise<PaymentMethod[]> {
  return site.dataSource.getRepository(PaymentMethod).find({ where: { accountId }, order: { id: 'ASC' } });
}

const toPublicMethod = (method: PaymentMethod) => ({
  id: method.id,
  label: method.label,
  lastFour: method.lastFour,
  createdAt: new Date(method.createdAt).toISOString(),
});

/**
 * `GET /account/payment-methods`: the owner's cards (label, last four digits).
 *
 * @example
 * ```ts
 * send(ctx, await paymentMethods(siteRequest(ctx), site));
 * ```
 */
export async function paymentMethods(request: SiteRequest, site: SiteContext): Promise<SiteAnswer> {
  const owner = ownerOnly(request);
  const methods = await listMethods(site, owner.id);
  if (request.json) return json({ paymentMethods: methods.map(toPublicMethod) }, 200, true);
  return page({
    title: 'Payment Methods',
    active: 'payment-methods',
    body: paymentMethodsPage({ csrfToken: request.csrfToken, methods }),
  });
}

/**
 * `POST /account/payment-methods`: adds a card by label and last four digits (201, or back to the
 * page with a flash message); 400 with per-field messages, 403 for a sub-account.
 *
 * @example
 * ```ts
 * send(ctx, await addPaymentMethod(siteRequest(ctx), site));
 * ```
 */
export async function addPaymentMethod(request: SiteRequest, site: SiteContext): Promise<SiteAnswer> {
  const owner = ownerOnly(request);
  let input: NewPaymentMethod;
  try {
    input = parsePaymentMethod(request.body);
  } catch (error) {
    if (request.json || !(error instanceof SiteError)) throw error;
    return page({
      title: 'Payment Methods',
      active: 'payment-methods',
      status: error.status,
      body: paymentMethodsPage({
        csrfToken: request.csrfToken,
        methods: await listMethods(site, owner.id),
        values: {
          label: typeof request.body.label === 'string' ? request.body.label : '',
          lastFour: typeof request.body.lastFour === 'string' ? request.body.lastFour : '',
        },
        error: error.message,
        fields: error.fields,
      }),
    });
  }
  const repository = site.dataSource.getRepository(PaymentMethod);
  const created = await repository.save(
    repository.create({ accountId: owner.id, ...input, createdAt: site.twoFactor.clock().getTime() }),
  );
  site.log(`site: payment method added account=${owner.id} id=${created.id}`);
  if (request.json) return json({ paymentMethod: toPublicMethod(created) }, 201, true);
  setFlash(request.session, { kind: 'success', text: `${created.label} (•••• ${created.lastFour}) was added.` });
  return redirect('/account/payment-methods');
}
