/** Request bodies are plain objects, so later code never trips over `null`, an array or a scalar. */
import { SiteError, SiteErrorCode } from '../services/site-error';

/**
 * The parsed body as an object: `{}` for no body, a 400 `INVALID_INPUT` for a JSON array or scalar.
 * Call it after the body parser, before any route reads the body.
 */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new SiteError(400, SiteErrorCode.InvalidInput, 'The request body must be a JSON object or a form.');
  return body as Record<string, unknown>;
}
