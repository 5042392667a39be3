/** The page for a refusal that has no form to return to (e.g. a CSRF failure or an outage). */
import { html } from '../html';
import { errorRegion } from './components';
import type { ErrorViewModel } from './models';

/**
 * The catalog's title, the message in the live error region, and a way back.
 */
export function errorView(model: ErrorViewModel): string {
  const { texts } = model;
  return html`<section class="sf-error-page" aria-labelledby="sf-error-title">
<h1 id="sf-error-title">${texts.errorTitle}</h1>
${errorRegion({ ...model, error: model.message }, 'sf-error-message')}
<p><a href="${model.continueUrl}">${texts.continueLink}</a></p>
</section>`.toString();
}
