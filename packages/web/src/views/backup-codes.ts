/** Pages that show backup codes exactly once: after regenerating, and after a backup-code login (S19). */
import { html } from '../html';
import { backupCodeList } from './components';
import type { BackupCodesViewModel } from './models';

/**
 * The new backup code after "Generate a new backup code" (re-authenticated, S8).
 */
export function backupCodesRegeneratedView(model: BackupCodesViewModel): string {
  const { texts } = model;
  return html`<section class="sf-backup" aria-labelledby="sf-backup-title">
<h1 id="sf-backup-title">${texts.regeneratedTitle}</h1>
<p role="status">${texts.regeneratedBody}</p>
<h2>${texts.backupCodeHeading(model.backupCodes.length)}</h2>
${backupCodeList(model.backupCodes)}
<p>${texts.backupCodeAdvice}</p>
<p><a href="${model.continueUrl}">${texts.continueLink}</a></p>
</section>`.toString();
}

/**
 * After a login with the last backup code: that backup codes are valid once only and this one has
 * been reset, as plain information (not a success), the new code once, and a Continue link.
 */
export function backupCodeResetView(model: BackupCodesViewModel): string {
  const { texts } = model;
  return html`<section class="sf-backup" aria-labelledby="sf-backup-title">
<h1 id="sf-backup-title">${texts.backupCodeResetTitle}</h1>
<p>${texts.backupCodeResetNotice}</p>
<h2>${texts.backupCodeHeading(model.backupCodes.length)}</h2>
${backupCodeList(model.backupCodes)}
<p>${texts.backupCodeAdvice}</p>
<p><a href="${model.continueUrl}">${texts.continueLink}</a></p>
</section>`.toString();
}
