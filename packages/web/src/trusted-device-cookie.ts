/**
 * The trusted-device cookie (S34): the token travels only in an HttpOnly, SameSite=Lax cookie,
 * Secure over https, that expires with its device row. Read and written through the adapter's
 * neutral cookie access, so both frameworks send the same header.
 */
import type { WebRequest } from './request';

/** The cookie's default name. */
export const DEFAULT_TRUSTED_DEVICE_COOKIE = 'sf_trusted_device';

/**
 * The token in the request's trusted-device cookie, or undefined. Only the first cookie of that
 * name counts; its value is whatever the client sent, so the service checks its shape.
 */
export function readDeviceToken(request: WebRequest<unknown>, name: string): string | undefined {
  const header = request.cookies?.header;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    return part.slice(separator + 1).trim();
  }
  return undefined;
}

function attributes(request: WebRequest<unknown>): string {
  return `Path=/; HttpOnly; SameSite=Lax${request.cookies?.secure ? '; Secure' : ''}`;
}

/**
 * Sets the cookie to `token` until `expiresAt`, the device row's expiry.
 */
export function setDeviceCookie(
  request: WebRequest<unknown>,
  name: string,
  token: string,
  expiresAt: Date,
  now: Date,
): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  request.cookies?.append(
    `${name}=${token}; Expires=${expiresAt.toUTCString()}; Max-Age=${maxAge}; ${attributes(request)}`,
  );
}

/**
 * Clears the cookie: the token it held is unknown, revoked or expired.
 */
export function clearDeviceCookie(request: WebRequest<unknown>, name: string): void {
  request.cookies?.append(`${name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; ${attributes(request)}`);
}
