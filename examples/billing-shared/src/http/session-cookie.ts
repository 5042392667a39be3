/** The session cookie both sites set: one name, whichever framework sets it (S33, S38). */

/**
 * The session cookie's name over plain HTTP (development).
 */
export const SESSION_COOKIE = 'billing.sid';

/**
 * The session cookie's name: with a Secure cookie the `__Host-` prefix, which browsers accept only
 * when Secure, host-only and for path `/`, so no subdomain and no plain-HTTP page can set it (S38).
 * The cookie itself is a browser-session cookie: no `Max-Age`, gone when the browser closes (S33);
 * the server enforces the idle and absolute lifetimes.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}
