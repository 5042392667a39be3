/** One error middleware per router: it picks HTML or JSON and never leaks a fault's message. */
import type { Context, Middleware } from 'koa';
import type { ResolvedOptions } from './options';
import { isFault, toProblem } from './problem';
import { sendProblem } from './respond';

/**
 * Catches everything the routes below it throw. Faults are reported to the host with
 * `ctx.app.emit('error', err, ctx)` (its logger), and answered with a generic message.
 *
 * @example
 * ```ts
 * router.use(errorHandler(resolved, () => resolved.managementPrefix));
 * ```
 */
export function errorHandler(resolved: ResolvedOptions, continueUrl: (ctx: Context) => string): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const problem = toProblem(error);
      if (isFault(problem)) ctx.app.emit('error', error, ctx);
      sendProblem(ctx, resolved, problem, continueUrl(ctx));
    }
  };
}
