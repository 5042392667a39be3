/**
 * The Koa error middleware of the site: every failure is answered as the shared error answer decides,
 * `{ error: { code, message } }` for JSON clients or the error page for browsers.
 */
import { describeError, errorJson, errorPageOf, notFound, serverErrorLine } from '@secondfactor/example-billing-shared';
import type { Context, Next } from 'koa';
import { renderPage, wantsJson } from './request-context';

/**
 * Koa middleware; mount it first. Logs 5xx with the stack (never a request body), never crashes.
 */
export function errorHandler(log: (line: string) => void) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw notFound();
    } catch (error) {
      const answer = describeError(error);
      ctx.state.errorCode = answer.code;
      if (answer.status >= 500) log(serverErrorLine({ method: ctx.method, path: ctx.path, answer, error }));
      ctx.set(answer.headers);
      ctx.set('Cache-Control', 'no-store');
      if (wantsJson(ctx)) {
        ctx.status = answer.status;
        ctx.body = errorJson(answer);
        return;
      }
      try {
        renderPage(ctx, errorPageOf(answer));
      } catch {
        // Rendering needs the session; when the store is down, plain text still answers.
        ctx.status = answer.status;
        ctx.type = 'text';
        ctx.body = answer.message;
      }
    }
  };
}
