/** Makes `ctx.request.body` always a plain object, so later middleware never trips over `null` or an array. */
import type { Context, Next } from 'koa';
import { SiteError, SiteErrorCode } from '../services/site-error';

/**
 * Mount after the body parser. A JSON array or scalar body is a 400 `INVALID_INPUT`; a request
 * without a body gets `{}`.
 *
 * @example
 * ```ts
 * app.use(bodyParser());
 * app.use(requireObjectBody());
 * ```
 */
export function requireObjectBody() {
  return async function checkBodyShape(ctx: Context, next: Next): Promise<void> {
    const body = (ctx.request as { body?: unknown }).body;
    if (body === undefined || body === null) {
      (ctx.request as { body?: unknown }).body = {};
    } else if (typeof body !== 'object' || Array.isArray(body)) {
      throw new SiteError(400, SiteErrorCode.InvalidInput, 'The request body must be a JSON object or a form.');
    }
    await next();
  };
}
