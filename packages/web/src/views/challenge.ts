/** The second login step: a code form, and a backup-code form for a lost device (docs/architecture.md#flows). */
import { html, type SafeHtml } from '../html';
import { codeInput, errorRegion, postForm } from './components';
import type { ChallengeViewModel } from './models';

/** "Remember this browser for 30 days" (S34), in each form; nothing when trusted devices are off. */
function rememberDevice(model: ChallengeViewModel, id: string): SafeHtml {
  const days = model.rememberDeviceDays ?? 0;
  if (days <= 0) return html``;
  return html`<p class="sf-field sf-remember">
  <input id="${id}" name="rememberDevice" type="checkbox" value="on">
  <label for="${id}">${model.texts.rememberDeviceLabel(days)}</label>
</p>`;
}

/**
 * Both forms POST to the challenge route; the backup-code form is folded away until needed, and
 * opens when its own attempt failed, with the error beside its field. The field that failed takes
 * the focus (`autofocus`).
 */
export function challengeView(model: ChallengeViewModel): string {
  const { texts, paths } = model;
  const errorId = 'sf-challenge-error';
  const backupErrorId = 'sf-challenge-backup-error';
  const backupFailed = model.failedField === 'backupCode';
  const codeModel = backupFailed ? { ...model, error: undefined } : model;
  const backupModel = backupFailed ? model : { ...model, error: undefined };
  return html`<section class="sf-challenge" aria-labelledby="sf-challenge-title">
<h1 id="sf-challenge-title">${texts.challengeTitle}</h1>
${errorRegion(codeModel, errorId)}
<p>${texts.challengeInstructions}</p>
${postForm(
  model,
  paths.challenge,
  html`${codeInput({ id: 'sf-challenge-code', label: texts.codeLabel, errorId, invalid: Boolean(model.error) && !backupFailed })}
${rememberDevice(model, 'sf-remember-code')}
<button type="submit">${texts.verifyButton}</button>`,
)}
<details class="sf-backup-login"${backupFailed ? html` open` : ''}>
<summary>${texts.useBackupCodeSummary}</summary>
<p>${texts.backupCodeInstructions}</p>
${postForm(
  model,
  paths.challenge,
  html`<p class="sf-field">
  <label for="sf-challenge-backup-code">${texts.backupCodeLabel}</label>
  <input id="sf-challenge-backup-code" name="backupCode" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="64" required aria-describedby="${backupErrorId}"${backupFailed ? html` aria-invalid="true" autofocus` : ''}>
</p>
${errorRegion(backupModel, backupErrorId)}
${rememberDevice(model, 'sf-remember-backup')}
<button type="submit">${texts.backupCodeButton}</button>`,
)}
</details>
</section>`.toString();
}
