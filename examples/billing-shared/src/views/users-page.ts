/** /account/users: the owner lists and creates sub-accounts. */
import { formatDate } from './format';
import { emailAddress } from './email-address';
import { fieldError, fieldState } from './form-field';
import { html, type SafeHtml } from './html';

/** Input of {@link usersPage}. */
export interface UsersPageInput {
  csrfToken: string;
  owner: { name: string; email: string };
  subAccounts: Array<{ name: string; email: string; createdAt: Date }>;
  values?: { name?: string; email?: string };
  error?: string;
  fields?: Record<string, string>;
}

/**
 * Renders the user management page.
 */
export function usersPage(input: UsersPageInput): SafeHtml {
  const fields = input.fields ?? {};
  return html`<div class="page-head">
  <div>
    <h1>Manage Users</h1>
    <p class="muted">Give colleagues their own login to this account. Sub-accounts see services and invoices, but cannot manage users or use two-factor authentication.</p>
  </div>
</div>
<div class="settings-grid settings-grid-wide">
  <section class="card">
    <div class="card-head"><h2>Users of this account</h2></div>
    <table class="table">
      <thead><tr><th>Name</th><th>Email address</th><th>Role</th><th>Added</th></tr></thead>
      <tbody>
        <tr><td><strong>${input.owner.name}</strong></td><td data-label="Email address">${emailAddress(input.owner.email)}</td><td data-label="Role"><span class="badge badge-info">Owner</span></td><td></td></tr>
        ${input.subAccounts.map(
          (user) =>
            html`<tr><td>${user.name}</td><td data-label="Email address">${emailAddress(user.email)}</td><td data-label="Role"><span class="badge badge-neutral">Sub-account</span></td><td class="nowrap" data-label="Added">${formatDate(user.createdAt)}</td></tr>`,
        )}
      </tbody>
    </table>
  </section>
  <section class="card">
    <div class="card-head"><h2>Add a sub-account</h2></div>
    ${input.error ? html`<div class="alert alert-error" role="alert">${input.error}</div>` : ''}
    <form method="post" action="/account/users" class="form">
      <input type="hidden" name="_csrf" value="${input.csrfToken}">
      <label for="name">Full name</label>
      <input id="name" name="name" type="text" required maxlength="100" value="${input.values?.name ?? ''}"${fieldState('name', fields)}>
      ${fieldError('name', fields)}
      <label for="email">Email address</label>
      <input id="email" name="email" type="email" required maxlength="254" value="${input.values?.email ?? ''}"${fieldState('email', fields)}>
      ${fieldError('email', fields)}
      <label for="password">Initial password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024"${fieldState('password', fields)}>
      ${fieldError('password', fields)}
      <button type="submit" class="button button-primary">Add sub-account</button>
    </form>
  </section>
</div>`;
}
