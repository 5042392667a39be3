/** The answer koa-csrf gives on a missing or wrong token, in this package's shapes (S25). */
import type { Context } from 'koa';
import type { ResolvedOptions } from './options';
import { RouteErrorCode } from './route-error';
import { sendProblem } from './respond';

/** Where "Continue" leads after a refused form: back to the page the form came from. */
function continueUrl(ctx: Context, resolved: ResolvedOptions): string {
  if (ctx.path.startsWith(resolved.challengePrefix)) return resolved.challengePrefix;
  if (ctx.path.startsWith(resolved.managementPrefix)) return resolved.managementPrefix;
  return '/';
}

/**
 * Builds koa-csrf's `errorHandler`: 403 with `{ error: { code: 'TWO_FACTOR_CSRF', message } }` for
 * JSON, or the error page in the host's layout. It answers instead of throwing; its `never` return
 * type only matches the koa-csrf typings, which expect a handler that throws.
 *
 * @example
 * ```ts
 * app.use(new CSRF({ errorHandler: createCsrfErrorHandler(resolved) }));
 * ```
 */
export function createCsrfErrorHandler(resolved: ResolvedOptions): (ctx: Context) => never {
  return (ctx: Context) => {
    sendProblem(ctx, resolved, { status: 403, code: RouteErrorCode.Csrf, headers: {} }, continueUrl(ctx, resolved));
    return undefined as never;
  };
}
