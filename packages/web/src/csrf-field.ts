/**
 * The hidden CSRF field for the host's own forms (S25): once CSRF middleware guards every POST, the
 * app's login, sign-up and logout forms need the token too, not only the two-factor pages.
 */
import { ConfigurationError } from '@secondfactor/core';
import { html, type SafeHtml } from './html';

/**
 * `<input type="hidden" name="_csrf" value="…">` for `token`, escaped. It embeds in the `html`
 * template as is, and in a plain template string through its `toString()`. A missing token means
 * no CSRF middleware ran before the page: that throws, rather than render a form that always fails.
 *
 * @example
 * ```ts
 * // Koa (koa-csrf): ctx.state._csrf; Express (csrf-sync): req.csrfToken()
 * const form = `<form method="post" action="/logout">${csrfField(ctx.state._csrf)}<button>Log out</button></form>`;
 * ```
 */
export function csrfField(token: string | null | undefined): SafeHtml {
  if (typeof token !== 'string' || token.length === 0)
    throw new ConfigurationError('csrfField needs the CSRF token: mount the CSRF middleware before this page.');
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
