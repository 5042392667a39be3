/**
 * Conservative response headers (S38): no framing, no sniffing, no third-party content (everything
 * is served locally), HSTS over https, and no caching of anything but the static assets.
 */

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * CSP, frame, sniffing and referrer headers, set on every response of both sites.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/**
 * The headers of every response: {@link SECURITY_HEADERS}, plus HSTS (one year) when the site is
 * served over https (S38).
 */
export function securityHeaders(https: boolean): Record<string, string> {
  return https
    ? { ...SECURITY_HEADERS, 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' }
    : { ...SECURITY_HEADERS };
}

/**
 * The headers of every page and JSON answer but the static assets: nothing a signed-in user sees
 * may be kept by a browser or a proxy cache (S38).
 */
export const DYNAMIC_NO_STORE: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});
