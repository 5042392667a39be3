/** The "Confirm it's you" page of step-up (S35): a code (or a backup code) with 2FA on, else the password. */
import { html } from '../html';
import { codeInput, errorRegion, passwordInput, postForm } from './components';
import type { StepUpViewModel } from './models';

function returnToField(returnTo: string) {
  return html`<input type="hidden" name="returnTo" value="${returnTo}">`;
}

/**
 * Every form POSTs to `/step-up` with the same-origin `returnTo`; the backup-code form is folded
 * away until needed, and opens when its own attempt failed.
 *
 * @example
 * ```ts
 * const fragment = stepUpView(model);
 * ```
 */
export function stepUpView(model: StepUpViewModel): string {
  const { texts, paths } = model;
  const action = `${paths.management}/step-up`;
  const errorId = 'sf-step-up-error';
  const backupFailed = model.failedField === 'backupCode';
  const factor = model.twoFactorEnabled
    ? html`<p>${texts.stepUpCodeInstructions}</p>
${postForm(
  model,
  action,
  html`${returnToField(model.returnTo)}
${codeInput({ id: 'sf-step-up-code', label: texts.codeLabel, errorId, invalid: Boolean(model.error) && !backupFailed })}
<button type="submit">${texts.stepUpButton}</button>`,
)}
<details class="sf-backup-login"${backupFailed ? html` open` : ''}>
<summary>${texts.stepUpBackupCodeSummary}</summary>
${postForm(
  model,
  action,
  html`${returnToField(model.returnTo)}
<p class="sf-field">
  <label for="sf-step-up-backup-code">${texts.backupCodeLabel}</label>
  <input id="sf-step-up-backup-code" name="backupCode" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="64" required aria-describedby="${errorId}"${backupFailed ? html` aria-invalid="true"` : ''}>
</p>
<button type="submit">${texts.stepUpBackupCodeButton}</button>`,
)}
</details>`
    : html`<p>${texts.stepUpPasswordInstructions}</p>
${postForm(
  model,
  action,
  html`${returnToField(model.returnTo)}
${passwordInput({ id: 'sf-step-up-password', label: texts.passwordLabel, errorId })}
<button type="submit">${texts.stepUpButton}</button>`,
)}`;
  return html`<section class="sf-step-up" aria-labelledby="sf-step-up-title">
<h1 id="sf-step-up-title">${texts.stepUpTitle}</h1>
${errorRegion(model, errorId)}
<p>${texts.stepUpIntro}</p>
${factor}
<p><a href="${model.returnTo}">${texts.cancelLink}</a></p>
</section>`.toString();
}
