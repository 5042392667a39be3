/**
 * Request bodies: form-encoded or JSON (the adapter parses them, with a size limit when the host
 * has not), and only ever read as a plain object's own fields.
 */
import { InvalidInputError } from '@secondfactor/core';
import type { WebRequest } from './request';

/**
 * A body the routes accept: a plain object.
 */
export type RequestBody = Readonly<Record<string, unknown>>;

/**
 * Reads the body, refusing anything but a plain object (arrays, strings, invalid JSON, too large,
 * a `__proto__` key) with 400 `TWO_FACTOR_INVALID_INPUT`. A parser's own error text never reaches the client.
 */
export async function readBody(request: WebRequest<unknown>): Promise<RequestBody> {
  let body: unknown;
  try {
    body = await request.readBody();
  } catch {
    throw new InvalidInputError('The request body could not be read.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidInputError('The request body must be a form or a JSON object.');
  // Some parsers refuse a `__proto__` key (prototype poisoning) and some keep it: refuse it here, alike for all.
  if (Object.hasOwn(body, '__proto__'))
    throw new InvalidInputError('The request body must be a form or a JSON object.');
  return body as RequestBody;
}

/**
 * One field of the body, or undefined. Only own properties count, so `__proto__` or `constructor`
 * can never be read as input.
 */
export function readField(body: RequestBody, name: string): unknown {
  return Object.hasOwn(body, name) ? body[name] : undefined;
}
