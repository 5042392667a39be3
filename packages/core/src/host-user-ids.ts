/**
 * User ids as the host keeps them: strings, or safe integers (an auto-increment key). The service,
 * its store and its events use the string form; the host's hooks get its own form back, so an app
 * with integer ids never converts them itself.
 */
import { ConfigurationError } from './errors';

/**
 * How the host identifies its users: `'string'` (the default) or `'integer'`.
 *
 * @example
 * ```ts
 * const kind: UserIdKind = 'integer'; // users.id is an auto-increment column
 * ```
 */
export type UserIdKind = 'string' | 'integer';

/**
 * The host's type of a user id for a {@link UserIdKind}: `number` for `'integer'`, else `string`.
 *
 * @example
 * ```ts
 * const id: HostUserId<'integer'> = 42;
 * ```
 */
export type HostUserId<Kind extends UserIdKind> = Kind extends 'integer' ? number : string;

const MAX_USER_ID_LENGTH = 255;
// The canonical decimal form only, so '042' and '42' never name two users.
const INTEGER_ID = /^(0|-?[1-9][0-9]{0,15})$/;

/**
 * The service's form of a user id: the string itself, or the decimal form of a safe integer.
 * Anything else (an empty or oversized string, a fraction, NaN) is a programming error and throws.
 *
 * @example
 * ```ts
 * serviceUserId(42); // '42'
 * serviceUserId('u-7'); // 'u-7'
 * ```
 */
export function serviceUserId(userId: string | number): string {
  if (typeof userId === 'number') {
    if (!Number.isSafeInteger(userId)) throw new TypeError('A numeric user id must be a safe integer.');
    return String(userId);
  }
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH)
    throw new TypeError(`A user id must be a safe integer or a string of 1 to ${MAX_USER_ID_LENGTH} characters.`);
  return userId;
}

/**
 * The host's form of a user id the service keeps as a string: a number for `'integer'` ids. An id
 * that is not the decimal form of a safe integer throws for `'integer'`.
 *
 * @example
 * ```ts
 * hostUserId('integer', '42'); // 42
 * hostUserId('string', '42'); // '42'
 * ```
 */
export function hostUserId<Kind extends UserIdKind>(kind: Kind, userId: string): HostUserId<Kind> {
  if (kind !== 'integer') return userId as HostUserId<Kind>;
  const value = INTEGER_ID.test(userId) ? Number(userId) : NaN;
  if (!Number.isSafeInteger(value)) throw new TypeError('This user id is not the decimal form of a safe integer.');
  return value as HostUserId<Kind>;
}

/**
 * Checks the `userIds` option of the service at setup.
 *
 * @internal
 */
export function checkUserIdKind(kind: unknown): UserIdKind {
  if (kind === undefined) return 'string';
  if (kind !== 'string' && kind !== 'integer')
    throw new ConfigurationError("userIds must be 'string' or 'integer' (your users' id type).");
  return kind;
}
