/** An email address that a narrow screen may wrap only before its "@" and its dots, never mid-word. */
import { html, type SafeHtml } from './html';

/**
 * The address with a line-break opportunity (`<wbr>`) before "@" and each ".".
 */
export function emailAddress(email: string): SafeHtml {
  const parts = email.split(/(?=[@.])/);
  return html`<span class="email">${parts.map((part, index) => (index === 0 ? part : html`<wbr>${part}`))}</span>`;
}
