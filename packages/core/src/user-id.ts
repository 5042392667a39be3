/**
 * The user ids the service accepts: exactly those every store can hold and keep apart. The service
 * checks them before any store call, so a bad id is a 400 (`TWO_FACTOR_INVALID_USER_ID`), never a
 * database error or a row that another id would also find.
 */

/** The longest user id, in UTF-16 code units: the `user_id` columns are `varchar(255)`. */
export const MAX_USER_ID_LENGTH = 255;

/** C0 and C1 control characters: PostgreSQL refuses NUL, and none of them belongs in an id or a log line. */
const CONTROL_CHARACTER = /\p{Cc}/u;
/** A lone surrogate: not encodable in UTF-8, so a database would store a replacement character instead. */
const LONE_SURROGATE = /\p{Cs}/u;
/** MySQL and MariaDB compare `'42 '` equal to `'42'` (PAD SPACE), so trailing blanks would share a row. */
const SURROUNDING_WHITE_SPACE = /^\s|\s$/u;

/**
 * Whether `value` is a user id the service accepts: a string of 1 to {@link MAX_USER_ID_LENGTH}
 * UTF-16 code units, well-formed Unicode, without control characters and without white space at
 * either end. Any other character is fine, and ids that differ only in case stay apart.
 *
 * @example
 * ```ts
 * isValidUserId('42'); // true
 * isValidUserId('42 '); // false
 * ```
 */
export function isValidUserId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_USER_ID_LENGTH &&
    !CONTROL_CHARACTER.test(value) &&
    !LONE_SURROGATE.test(value) &&
    !SURROUNDING_WHITE_SPACE.test(value)
  );
}
