/** /account/payment-methods: the owner's cards on file (label and last four digits) and why the page asks "Confirm it's you". */
import { formatDate } from './format';
import { html, type SafeHtml } from './html';

/** Input of {@link paymentMethodsPage}. */
export interface PaymentMethodsPageInput {
  csrfToken: string;
  methods: Array<{ label: string; lastFour: string; createdAt: number }>;
  values?: { label?: string; lastFour?: string };
  error?: string;
  fields?: Record<string, string>;
}

/**
 * Renders the payment methods page.
 *
 * @example
 * ```ts
 * paymentMethodsPage({ csrfToken, methods: [] });
 * ```
 */
export function paymentMethodsPage(input: PaymentMethodsPageInput): SafeHtml {
  const fields = input.fields ?? {};
  const fieldError = (name: string) => (fields[name] ? html`<p class="field-error">${fields[name]}</p>` : '');
  return html`<div class="page-head">
  <div>
    <h1>Payment Methods</h1>
    <p class="muted">Whoever controls how an account pays can run up charges or redirect refunds. A stolen login cookie must not be enough for that, so this page asks you to confirm it's you (your authenticator code, or your password without two-factor authentication) unless you did so in the last few minutes.</p>
  </div>
</div>
<div class="settings-grid settings-grid-wide">
  <section class="card">
    <div class="card-head"><h2>Cards on file</h2></div>
    ${
      input.methods.length === 0
        ? html`<p class="muted">No payment method yet.</p>`
        : html`<table class="table">
      <thead><tr><th>Label</th><th>Card</th><th>Added</th></tr></thead>
      <tbody>
        ${input.methods.map(
          (method) =>
            html`<tr><td>${method.label}</td><td class="nowrap">•••• ${method.lastFour}</td><td class="nowrap">${formatDate(new Date(method.createdAt))}</td></tr>`,
        )}
      </tbody>
    </table>`
    }
  </section>
  <section class="card">
    <div class="card-head"><h2>Add a payment method</h2></div>
    <p class="muted">This demo keeps only a label and the last four digits. A real site hands the card number to its payment provider and never stores it.</p>
    ${input.error ? html`<div class="alert alert-error" role="alert">${input.error}</div>` : ''}
    <form method="post" action="/account/payment-methods" class="form">
      <input type="hidden" name="_csrf" value="${input.csrfToken}">
      <label for="label">Label</label>
      <input id="label" name="label" type="text" required maxlength="60" value="${input.values?.label ?? ''}">
      ${fieldError('label')}
      <label for="lastFour">Last four digits</label>
      <input id="lastFour" name="lastFour" type="text" inputmode="numeric" pattern="[0-9]{4}" required minlength="4" maxlength="4" autocomplete="off" value="${input.values?.lastFour ?? ''}">
      ${fieldError('lastFour')}
      <button type="submit" class="button button-primary">Add payment method</button>
    </form>
  </section>
</div>`;
}
