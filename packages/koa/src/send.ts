/** Writes a neutral answer of @secondfactor/web to Koa's `ctx`, and reports its fault to `app.on('error')`. */
import type { WebResponse } from '@secondfactor/web';
import type { Context } from 'koa';

/**
 * Sets status, headers and body; a fault goes to the host's logger through `ctx.app.emit('error')`.
 */
export function send(ctx: Context, response: WebResponse): void {
  if (response.fault !== undefined) ctx.app.emit('error', response.fault, ctx);
  ctx.set(response.headers);
  if (response.kind === 'redirect') {
    ctx.redirect(response.location);
  } else if (response.kind === 'json') {
    ctx.type = 'application/json';
    ctx.body = response.json;
  } else {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = response.html;
  }
  ctx.status = response.status;
}
