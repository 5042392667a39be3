/** The HTML error page. */
import { html, type SafeHtml } from './html';

/**
 * A friendly error card. The message is one a client may see (never a 5xx's internals).
 */
export function errorPage(input: { status: number; title: string; message: string }): SafeHtml {
  return html`<section class="card error-card">
  <p class="error-status">${input.status}</p>
  <h1>${input.title}</h1>
  <p>${input.message}</p>
  <p><a class="button" href="/">Back to the client area</a></p>
</section>`;
}
