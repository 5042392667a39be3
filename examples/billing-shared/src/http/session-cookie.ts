/** The session cookie both sites set: one name and one lifetime, whichever framework sets it. */

/**
 * The session cookie's name.
 */
export const SESSION_COOKIE = 'billing.sid';

/**
 * The session's lifetime: one working day.
 */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;
