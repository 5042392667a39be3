/** otpauth:// URIs per the Key Uri Format (S3, S4). */
import { InvalidInputError } from './errors';
import { base32Encode } from './base32';
import { TOTP_DEFAULTS } from './totp';

/** Input to {@link buildOtpauthUri}. */
export interface OtpauthUriInput {
  /** The provider shown in the app, e.g. "Acme Billing". No colon. */
  issuer: string;
  /** The account label, e.g. the user's email. No colon. */
  accountName: string;
  /** The raw secret; it is encoded as unpadded base32. */
  secret: Uint8Array;
}

const MAX_LABEL_LENGTH = 256;

function checkLabelPart(name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`${name} must be a non-empty string.`);
  if (value.length > MAX_LABEL_LENGTH) throw new InvalidInputError(`${name} is too long.`);
  // A colon would split the label ambiguously (Key Uri Format: "Neither issuer nor account name may themselves contain a colon").
  if (value.includes(':') || value.includes('%3A') || value.includes('%3a'))
    throw new InvalidInputError(`${name} must not contain a colon.`);
}

/**
 * Builds `otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30`.
 * encodeURIComponent gives RFC 3986 encoding (`%20`, never `+`).
 *
 * @example
 * ```ts
 * buildOtpauthUri({ issuer: 'Acme Billing', accountName: 'a@b.c', secret: Buffer.alloc(20) });
 * // 'otpauth://totp/Acme%20Billing:a%40b.c?secret=AAAA…&issuer=Acme%20Billing&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function buildOtpauthUri(input: OtpauthUriInput): string {
  checkLabelPart('issuer', input.issuer);
  checkLabelPart('accountName', input.accountName);
  const issuer = encodeURIComponent(input.issuer);
  const account = encodeURIComponent(input.accountName);
  const query = [
    `secret=${base32Encode(input.secret)}`,
    `issuer=${issuer}`,
    `algorithm=${TOTP_DEFAULTS.algorithm}`,
    `digits=${TOTP_DEFAULTS.digits}`,
    `period=${TOTP_DEFAULTS.periodSeconds}`,
  ].join('&');
  return `otpauth://totp/${issuer}:${account}?${query}`;
}
