/** Secrets, QR codes, backup codes and challenge pages must never be cached (S25). */

/**
 * The headers every answer of the two-factor routes carries, errors included: `Cache-Control:
 * no-store`, and `Pragma: no-cache` for HTTP/1.0 caches.
 *
 * @example
 * ```ts
 * res.set(NO_STORE_HEADERS);
 * ```
 */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});
