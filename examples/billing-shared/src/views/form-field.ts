/** The attributes of a form field that a refused submission marks: invalid, described by its error, focused. */
import { html, type SafeHtml } from './html';

/**
 * For the field named `name`: `aria-invalid`, `aria-describedby` its error and, for the first
 * refused field of the form, `autofocus` (no script is allowed, so focus moves this way).
 */
export function fieldState(name: string, fields: Record<string, string>): SafeHtml {
  if (!fields[name]) return html``;
  const first = Object.keys(fields)[0] === name;
  return html` aria-invalid="true" aria-describedby="${name}-error"${first ? html` autofocus` : ''}`;
}

/**
 * The message under a refused field, with the id {@link fieldState} points to.
 */
export function fieldError(name: string, fields: Record<string, string>): SafeHtml {
  return fields[name] ? html`<p class="field-error" id="${name}-error">${fields[name]}</p>` : html``;
}
