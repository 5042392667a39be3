/** The Two-Factor Authentication section of Security Settings (article steps 1–3, S9). */
import { html, raw } from '../html';
import { enrollButton, errorRegion, passwordInput, postForm } from './components';
import type { SecuritySectionViewModel } from './models';

/**
 * Status and actions: "Click here to enable" for an eligible user without 2FA, or for a pending
 * setup "Enter the verification code" with "Show the barcode again" (the same key, S39) beside it;
 * backup code and disable forms (both re-authenticate, S8; a refused password's field takes the
 * focus) once enabled; the sub-account message otherwise, said once.
 */
export function securitySectionView(model: SecuritySectionViewModel): string {
  const { texts, paths, status } = model;
  const errorId = 'sf-section-error';
  const heading = raw(`h${model.headingLevel}`);
  const subheading = raw(`h${model.headingLevel + 1}`);
  let body;
  if (!status.eligible) {
    // A refused enrollment already says it in the error region: the page says it once.
    body = model.error ? html`` : html`<p class="sf-status">${texts.notEligible}</p>`;
  } else if (status.enabled) {
    body = html`<p class="sf-status">${texts.statusEnabled}</p>
${status.locked ? html`<p class="sf-status sf-locked">${texts.statusLocked}</p>` : ''}
<p>${texts.backupCodesRemaining(status.backupCodesRemaining)}</p>
<${subheading}>${texts.regenerateHeading}</${subheading}>
<p>${texts.regenerateHelp}</p>
${postForm(
  model,
  `${paths.management}/backup-codes`,
  html`${passwordInput({ id: 'sf-regenerate-password', label: texts.passwordLabel, errorId, invalid: model.failedAction === 'regenerate' })}
<button type="submit">${texts.regenerateButton}</button>`,
)}
<${subheading}>${texts.disableHeading}</${subheading}>
<p>${texts.disableHelp}</p>
${postForm(
  model,
  `${paths.management}/disable`,
  html`${passwordInput({ id: 'sf-disable-password', label: texts.passwordLabel, errorId, invalid: model.failedAction === 'disable' })}
<button type="submit">${texts.disableButton}</button>`,
)}`;
  } else {
    // S36: why a required user was sent here, and by when the grace period ends.
    const required = status.requiredBy
      ? html`<p class="sf-status sf-required" role="alert">${model.enrollmentDue ? texts.statusRequiredNow : texts.statusRequiredBy(status.requiredBy)}</p>`
      : '';
    body = html`${required}<p>${texts.sectionIntro}</p>
<p class="sf-status">${texts.statusDisabled}</p>
${
  status.pending
    ? html`<p>${texts.statusPending}</p>
<div class="sf-actions">
<form class="sf-form" method="get" action="${paths.management}"><input type="hidden" name="step" value="verify"><button type="submit">${texts.continueSetupButton}</button></form>
${enrollButton(model, { label: texts.showKeyAgainButton, startOver: false, secondary: true })}
</div>`
    : html`${status.pendingExpired ? html`<p>${texts.statusPendingExpired}</p>` : ''}
<form class="sf-form" method="get" action="${paths.management}"><input type="hidden" name="step" value="intro"><button type="submit">${texts.enableButton}</button></form>`
}`;
  }
  return html`<section class="sf-section" aria-labelledby="sf-section-title">
<${heading} id="sf-section-title">${texts.sectionTitle}</${heading}>
<div class="sf-notice" role="status" aria-live="polite">${model.notice ? html`<p>${model.notice}</p>` : ''}</div>
${errorRegion(model, errorId)}
${body}
${model.headingLevel === 1 && paths.settings !== paths.management ? html`<p><a href="${paths.settings}">${texts.settingsLink}</a></p>` : ''}
</section>`.toString();
}
