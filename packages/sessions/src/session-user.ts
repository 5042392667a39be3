/**
 * Which user a session belongs to, read from the session data on every write, so the user index
 * follows sign-in, sign-out and regeneration without the host telling the store.
 */

/** The session data as a framework hands it to its store: a plain JSON-able object. */
export type SessionData = Record<string, unknown>;

/** A host's user id: a string, or an integer for numeric keys. */
export type SessionUserId = string | number;

/** The longest user id the index holds. */
export const MAX_USER_ID_LENGTH = 255;

/**
 * The user id Passport keeps in a session (`session.passport.user`), when it is a string or a
 * safe integer; null otherwise (nobody signed in, or a serialised object: pass your own `userIdOf`).
 *
 * @example
 * ```ts
 * import { passportUserId } from '@secondfactor/sessions';
 * passportUserId({ passport: { user: 42 } }); // '42'
 * ```
 */
export function passportUserId(data: SessionData): string | null {
  const passport = data.passport;
  if (!passport || typeof passport !== 'object') return null;
  return userIdString((passport as { user?: unknown }).user);
}

/** A user id as the index stores it, or null when `value` is not one. */
export function userIdString(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value !== 'string' || value.length === 0) return null;
  if (value.length > MAX_USER_ID_LENGTH)
    throw new RangeError(`A user id longer than ${MAX_USER_ID_LENGTH} characters cannot be indexed.`);
  return value;
}
