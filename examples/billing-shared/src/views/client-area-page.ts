/** The dashboard at /clientarea: summary tiles, services and invoices. */
import type { BillingService } from '../db/entities/billing-service.entity';
import type { Invoice } from '../db/entities/invoice.entity';
import { firstName } from '../services/account-input';
import { emailAddress } from './email-address';
import { formatDate, formatMoney } from './format';
import { html, type SafeHtml } from './html';

/** Input of {@link clientAreaPage}. */
export interface ClientAreaPageInput {
  user: { name: string; email: string; isSubAccount: boolean };
  /** The owner's name when the user is a sub-account. */
  accountOwnerName: string | null;
  services: BillingService[];
  invoices: Invoice[];
  twoFactorEnabled: boolean;
  twoFactorEligible: boolean;
}

function statusBadge(status: string): SafeHtml {
  const kind = /^(active|paid)$/i.test(status)
    ? 'success'
    : /^(unpaid|overdue|suspended)$/i.test(status)
      ? 'warning'
      : 'neutral';
  return html`<span class="badge badge-${kind}">${status}</span>`;
}

/**
 * Renders the client area dashboard.
 */
export function clientAreaPage(input: ClientAreaPageInput): SafeHtml {
  const active = input.services.filter((service) => service.status === 'Active').length;
  const unpaid = input.invoices.filter((invoice) => invoice.status === 'Unpaid');
  const due = unpaid.reduce((sum, invoice) => sum + invoice.totalCents, 0);
  const securityTip =
    input.twoFactorEligible && !input.twoFactorEnabled
      ? html`<div class="callout">
          <div><strong>Protect your account with two-factor authentication.</strong>
          <span class="muted">Even someone who knows your password cannot sign in without your phone.</span></div>
          <a class="button button-primary" href="/account/security">Security Settings</a>
        </div>`
      : '';
  return html`<div class="page-head">
  <div>
    <h1>Welcome back, ${firstName(input.user.name)}</h1>
    <p class="muted">${input.accountOwnerName ? html`Sub-account of ${input.accountOwnerName}'s account` : html`Signed in as ${emailAddress(input.user.email)}`}</p>
  </div>
</div>
${securityTip}
<div class="tiles">
  <div class="tile"><span class="tile-value">${active}</span><span class="tile-label">Active services</span></div>
  <div class="tile"><span class="tile-value">${unpaid.length}</span><span class="tile-label">Unpaid invoices</span></div>
  <div class="tile"><span class="tile-value">${formatMoney(due)}</span><span class="tile-label">Amount due</span></div>
  <div class="tile"><span class="tile-value">${input.twoFactorEligible ? (input.twoFactorEnabled ? 'On' : 'Off') : 'Not available'}</span><span class="tile-label">Two-factor authentication</span></div>
</div>
<section class="card" id="services">
  <div class="card-head"><h2>Your services</h2></div>
  ${
    input.services.length === 0
      ? html`<p class="empty">No services yet.</p>`
      : html`<table class="table">
        <thead><tr><th>Product/Service</th><th>Pricing</th><th>Next due date</th><th>Status</th></tr></thead>
        <tbody>${input.services.map(
          (service) => html`<tr>
            <td><strong>${service.productName}</strong><div class="muted small">${service.domain}</div></td>
            <td data-label="Pricing"><span>${formatMoney(service.amountCents)} <span class="muted small">${service.billingCycle}</span></span></td>
            <td data-label="Next due date">${formatDate(service.nextDueDate)}</td>
            <td data-label="Status">${statusBadge(service.status)}</td>
          </tr>`,
        )}</tbody>
      </table>`
  }
</section>
<section class="card" id="invoices">
  <div class="card-head"><h2>Invoices</h2></div>
  ${
    input.invoices.length === 0
      ? html`<p class="empty">No invoices yet.</p>`
      : html`<table class="table">
        <thead><tr><th>Invoice #</th><th>Invoice date</th><th>Due date</th><th class="num">Total</th><th>Status</th></tr></thead>
        <tbody>${input.invoices.map(
          (invoice) => html`<tr>
            <td><strong>${invoice.number}</strong></td>
            <td data-label="Invoice date">${formatDate(invoice.issuedOn)}</td>
            <td data-label="Due date">${formatDate(invoice.dueOn)}</td>
            <td class="num" data-label="Total">${formatMoney(invoice.totalCents)}</td>
            <td data-label="Status">${statusBadge(invoice.status)}</td>
          </tr>`,
        )}</tbody>
      </table>`
  }
</section>`;
}
