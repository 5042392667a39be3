/** Security Settings: account details and the Two-Factor Authentication section from @secondfactor/koa. */
import { emailAddress } from './email-address';
import { html, raw, type SafeHtml } from './html';

/** Input of {@link securityPage}. */
export interface SecurityPageInput {
  user: { name: string; email: string; isSubAccount: boolean };
  /** The HTML of `renderSecuritySection(ctx)`: status, "Click here to enable", or "not available for sub-accounts". */
  twoFactorSection: string;
  /** The password and session sections (S31, S33), rendered by `account-protection-sections.ts`. */
  accountSections?: SafeHtml[];
}

/**
 * Renders /account/security.
 */
export function securityPage(input: SecurityPageInput): SafeHtml {
  return html`<div class="page-head">
  <div>
    <h1>Security Settings</h1>
    <p class="muted">Keep your account safe.</p>
  </div>
</div>
<div class="settings-grid">
  <section class="card">
    <div class="card-head"><h2>Your login</h2></div>
    <dl class="details">
      <dt>Name</dt><dd>${input.user.name}</dd>
      <dt>Email address</dt><dd>${emailAddress(input.user.email)}</dd>
      <dt>Account type</dt><dd>${input.user.isSubAccount ? 'Sub-account' : 'Primary account (owner)'}</dd>
    </dl>
  </section>
  <div class="two-factor-slot">${raw(input.twoFactorSection)}</div>
  ${input.accountSections ?? []}
</div>`;
}
