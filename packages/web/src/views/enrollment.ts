/** The enrollment pages: intro ("Get Started"), barcode and secret key, Verification Step, success (article steps 4–10). */
import { html, raw } from '../html';
import { backupCodeList, codeInput, enrollButton, errorRegion, postForm } from './components';
import type {
  BackupCodesViewModel,
  BaseViewModel,
  EnrollmentSetupViewModel,
  VerificationStepViewModel,
} from './models';

/**
 * Explains that every login will need a code; "Get Started" POSTs to `/enroll`.
 */
export function enrollmentIntroView(model: BaseViewModel): string {
  const { texts, paths } = model;
  return html`<section class="sf-intro" aria-labelledby="sf-intro-title">
<h1 id="sf-intro-title">${texts.introTitle}</h1>
${errorRegion(model, 'sf-intro-error')}
<p>${texts.introBody}</p>
${postForm(model, `${paths.management}/enroll`, html`<button type="submit">${texts.getStartedButton}</button>`)}
<p><a href="${paths.settings}">${texts.cancelLink}</a></p>
</section>`.toString();
}

/** Only markup the service rendered itself may be inlined; anything else is refused, not trusted. */
function trustedQrSvg(svg: string) {
  return /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg) && !/<script|\son\w+\s*=/i.test(svg) ? raw(svg) : html``;
}

/**
 * The barcode (inline SVG, rendered locally, S28) with the secret key as its text alternative,
 * the key grouped in fours, and "Confirm" leading to the Verification Step. A setup shown again
 * says that its key did not change, and "Start over with a new key" is the secondary action (S39).
 */
export function enrollmentSetupView(model: EnrollmentSetupViewModel): string {
  const { texts, paths } = model;
  return html`<section class="sf-setup" aria-labelledby="sf-setup-title">
<h1 id="sf-setup-title">${texts.setupTitle}</h1>
${errorRegion(model, 'sf-setup-error')}
${model.resumed ? html`<p class="sf-notice-text">${texts.setupResumed}</p>` : ''}
<p>${texts.setupInstructions}</p>
<figure class="sf-qr">
<div role="img" aria-label="${texts.qrAlt(model.secretForDisplay)}">${trustedQrSvg(model.qrSvg)}</div>
</figure>
<p>${texts.secretKeyLabel}: <code class="sf-secret">${model.secretForDisplay}</code></p>
<p>${texts.setupConfirmHint}</p>
<form class="sf-form" method="get" action="${paths.management}"><input type="hidden" name="step" value="verify"><button type="submit">${texts.confirmButton}</button></form>
${enrollButton(model, { label: texts.startOverButton, startOver: true, secondary: true })}
</section>`.toString();
}

/**
 * The Verification Step: the six-digit code field and "Confirm", which POSTs to `/confirm`, with
 * "Start over with a new key" as the secondary action. Once the setup expired it says so, and
 * "Start again" is the one way on (S39).
 */
export function verificationStepView(model: VerificationStepViewModel): string {
  const { texts, paths } = model;
  const errorId = 'sf-verify-error';
  if (model.expired)
    return html`<section class="sf-verify" aria-labelledby="sf-verify-title">
<h1 id="sf-verify-title">${texts.verifyTitle}</h1>
<div class="sf-notice" role="status"><p>${texts.verifyExpired}</p></div>
${enrollButton(model, { label: texts.startAgainButton, startOver: true, secondary: false })}
<p><a href="${paths.settings}">${texts.cancelLink}</a></p>
</section>`.toString();
  return html`<section class="sf-verify" aria-labelledby="sf-verify-title">
<h1 id="sf-verify-title">${texts.verifyTitle}</h1>
<p>${texts.verifyInstructions}</p>
${errorRegion(model, errorId)}
${postForm(
  model,
  `${paths.management}/confirm`,
  html`${codeInput({ id: 'sf-verify-code', label: texts.codeLabel, errorId, invalid: Boolean(model.error) })}
<button type="submit">${texts.confirmButton}</button>`,
)}
${enrollButton(model, { label: texts.startOverButton, startOver: true, secondary: true })}
</section>`.toString();
}

/**
 * Success: 2FA is on, and the Backup Code is shown once with advice to write it down.
 */
export function enrollmentCompleteView(model: BackupCodesViewModel): string {
  const { texts } = model;
  return html`<section class="sf-complete" aria-labelledby="sf-complete-title">
<h1 id="sf-complete-title">${texts.completeTitle}</h1>
<p role="status">${texts.completeBody}</p>
<h2>${texts.backupCodeHeading(model.backupCodes.length)}</h2>
${backupCodeList(model.backupCodes)}
<p>${texts.backupCodeAdvice}</p>
<p><a href="${model.continueUrl}">${texts.continueLink}</a></p>
</section>`.toString();
}
