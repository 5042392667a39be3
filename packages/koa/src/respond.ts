/** Writing answers: a JSON body, a page in the host's layout, or an error in either form. */
import type { Context } from 'koa';
import type { ResolvedOptions } from './options';
import { csrfToken } from './csrf';
import { wantsJson } from './negotiate';
import type { Problem } from './problem';
import type { ClientErrorCode } from './texts';
import type { BaseViewModel } from './views';

/**
 * The catalog's message for an error code; unknown codes get the generic one.
 *
 * @example
 * ```ts
 * messageFor(resolved, 'TWO_FACTOR_INVALID_CODE'); // 'The code is not valid. Try again.'
 * ```
 */
export function messageFor(resolved: ResolvedOptions, code: ClientErrorCode): string {
  return resolved.texts.errors[code] ?? resolved.texts.errors.TWO_FACTOR_INTERNAL;
}

/**
 * The model every view starts from.
 *
 * @example
 * ```ts
 * const model = baseModel(ctx, resolved, messageFor(resolved, problem.code));
 * ```
 */
export function baseModel(ctx: Context, resolved: ResolvedOptions, error?: string): BaseViewModel {
  return {
    texts: resolved.texts,
    csrfToken: csrfToken(ctx),
    paths: {
      management: resolved.managementPrefix,
      challenge: resolved.challengePrefix,
      successRedirect: resolved.successRedirect,
      loginPath: resolved.loginPath,
    },
    error,
  };
}

/**
 * Answers with JSON.
 *
 * @example
 * ```ts
 * sendJson(ctx, { enabled: false });
 * ```
 */
export function sendJson(ctx: Context, body: object, status = 200): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = body;
}

/**
 * Answers with a view wrapped in the host's layout.
 *
 * @example
 * ```ts
 * sendPage(ctx, resolved, texts.challengeTitle, resolved.views.challenge(model, ctx));
 * ```
 */
export function sendPage(ctx: Context, resolved: ResolvedOptions, title: string, body: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = resolved.layout(ctx, { title, body });
}

/**
 * Sets the problem's status and headers (e.g. `Retry-After`); the caller writes the body.
 *
 * @example
 * ```ts
 * applyProblem(ctx, problem);
 * ```
 */
export function applyProblem(ctx: Context, problem: Problem): void {
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
}

/**
 * Answers a problem as `{ error: { code, message } }` or as the error page.
 *
 * @example
 * ```ts
 * sendProblem(ctx, resolved, toProblem(err), resolved.managementPrefix);
 * ```
 */
export function sendProblem(ctx: Context, resolved: ResolvedOptions, problem: Problem, continueUrl: string): void {
  applyProblem(ctx, problem);
  const message = messageFor(resolved, problem.code);
  if (wantsJson(ctx)) {
    sendJson(ctx, { error: { code: problem.code, message } }, problem.status);
    return;
  }
  const model = {
    ...baseModel(ctx, resolved, message),
    status: problem.status,
    code: problem.code,
    message,
    continueUrl,
  };
  sendPage(ctx, resolved, resolved.texts.errorTitle, resolved.views.error(model, ctx), problem.status);
}
