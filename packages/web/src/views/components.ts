/** Small shared fragments of the default views: forms, fields and the live error region. */
import { html, type SafeHtml } from '../html';
import type { BaseViewModel } from './models';

/**
 * The hidden `_csrf` field the CSRF middleware reads (koa-csrf, csrf-sync); nothing when the host runs none.
 */
export function csrfField(model: BaseViewModel): SafeHtml {
  return model.csrfToken ? html`<input type="hidden" name="_csrf" value="${model.csrfToken}">` : html``;
}

/**
 * Always present, so screen readers announce an error as soon as it appears.
 */
export function errorRegion(model: BaseViewModel, id: string): SafeHtml {
  return html`<div class="sf-error" id="${id}" role="alert" aria-live="assertive">${model.error ? html`<p>${model.error}</p>` : ''}</div>`;
}

/**
 * The six-digit code input: numeric keyboard, one-time-code autofill, spaces allowed. An invalid
 * field takes the focus when the page loads (`autofocus`, no script), so the error is heard at once.
 */
export function codeInput(options: {
  id: string;
  label: string;
  errorId: string;
  invalid: boolean;
  hint?: string;
}): SafeHtml {
  return html`<p class="sf-field">
  <label for="${options.id}">${options.label}</label>
  <input id="${options.id}" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" minlength="6" maxlength="10" required spellcheck="false" aria-describedby="${options.errorId}"${options.invalid ? html` aria-invalid="true" autofocus` : ''}>
</p>`;
}

/**
 * A labelled current-password input for re-authentication (S8); a refused one is marked invalid
 * and takes the focus.
 */
export function passwordInput(options: { id: string; label: string; errorId: string; invalid?: boolean }): SafeHtml {
  return html`<p class="sf-field">
  <label for="${options.id}">${options.label}</label>
  <input id="${options.id}" name="password" type="password" autocomplete="current-password" required aria-describedby="${options.errorId}"${options.invalid ? html` aria-invalid="true" autofocus` : ''}>
</p>`;
}

/**
 * A POST to `/enroll` as a secondary action: show the pending key again, or start over with a new one (S39).
 */
export function enrollButton(
  model: BaseViewModel,
  options: { label: string; startOver: boolean; secondary: boolean },
): SafeHtml {
  return postForm(
    model,
    `${model.paths.management}/enroll`,
    html`${options.startOver ? html`<input type="hidden" name="startOver" value="1">` : ''}<button type="submit"${options.secondary ? html` class="sf-secondary"` : ''}>${options.label}</button>`,
  );
}

/**
 * Backup codes, each in its own element so it can be copied whole.
 */
export function backupCodeList(codes: string[]): SafeHtml {
  return html`<ul class="sf-backup-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>`;
}

/**
 * A form that changes state: POST-only, with the CSRF field (S25).
 */
export function postForm(model: BaseViewModel, action: string, content: SafeHtml, className = 'sf-form'): SafeHtml {
  return html`<form class="${className}" method="post" action="${action}">${csrfField(model)}${content}</form>`;
}
