/**
 * The non-secret handle of a session (S33): the SHA-256 of its id, in hex. Backends key sessions by
 * it and listings show it, so neither a listing nor a copy of the store yields a usable session id.
 */
import { createHash } from 'node:crypto';

/**
 * The handle of `sessionId`: 64 lowercase hex characters, stable for the life of the session.
 * Hex, not base64, so a case-insensitive database collation cannot make two handles equal.
 *
 * @example
 * ```ts
 * import { sessionHandle } from '@secondfactor/sessions';
 * const id = sessionHandle(req.sessionID); // what `listSessions` reports as `id`
 * ```
 */
export function sessionHandle(sessionId: string): string {
  if (typeof sessionId !== 'string' || sessionId.length === 0)
    throw new TypeError('A session id must be a non-empty string.');
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** Whether `value` has the shape of a handle, so a malformed one is refused without a query. */
export function isSessionHandle(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
