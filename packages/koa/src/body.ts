/**
 * Request bodies: form-encoded or JSON, parsed here with a size limit when the host has not parsed
 * them already, and only ever read as a plain object's own fields.
 */
import { bodyParser } from '@koa/bodyparser';
import { InvalidInputError } from '@secondfactor/core';
import type { Context, Middleware, Next } from 'koa';

/**
 * Parses the body with @koa/bodyparser when `ctx.request.body` is still undefined, and refuses
 * anything but a plain object (arrays, strings, invalid JSON, too large) with 400.
 *
 * @example
 * ```ts
 * router.post('/confirm', parseBody('16kb'), confirm);
 * ```
 */
export function parseBody(limit: string | number): Middleware {
  const parser = bodyParser({ enableTypes: ['json', 'form'], jsonLimit: limit, formLimit: limit, jsonStrict: true });
  const check = async (ctx: Context, next: Next) => {
    const body = ctx.request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new InvalidInputError('The request body must be a form or a JSON object.');
    await next();
  };
  return async (ctx, next) => {
    if (ctx.request.body !== undefined) return check(ctx, next);
    try {
      await parser(ctx, async () => undefined);
    } catch {
      // co-body's parse, size and charset errors are the client's fault: one stable 400, never their text.
      throw new InvalidInputError('The request body could not be read.');
    }
    return check(ctx, next);
  };
}

/**
 * One field of the parsed body, or undefined. Only own properties count, so `__proto__` or
 * `constructor` can never be read as input.
 *
 * @example
 * ```ts
 * const code = readField(ctx, 'code'); // unknown: the service validates it (S13)
 * ```
 */
export function readField(ctx: Context, name: string): unknown {
  const body = ctx.request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
}
