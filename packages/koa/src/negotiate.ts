/** Content negotiation: the same routes answer HTML to browsers and JSON to API clients (DESIGN.md §7). */
import type { Context } from 'koa';

/**
 * True when the client asked for JSON: `Accept` prefers `application/json` over HTML, or there is
 * no real preference (`*∕*` or none) and the request body itself is JSON.
 *
 * @example
 * ```ts
 * if (wantsJson(ctx)) ctx.body = { status: 'authenticated' };
 * ```
 */
export function wantsJson(ctx: Context): boolean {
  const accept = ctx.get('accept').trim();
  if (!accept || accept === '*/*') return ctx.request.is('json') === 'json';
  return ctx.accepts('html', 'json') === 'json';
}
