/** Secret generation and import (S5). */
import { randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from './base32';
import { InvalidInputError } from './errors';

/** Bytes in a generated secret: 160 bits, the HMAC-SHA1 block recommendation of RFC 4226 §4 R6. */
export const SECRET_BYTES = 20;
/** The shortest secret accepted on import: 128 bits (RFC 4226 R6, NIST 800-63B §5.1.4.1). */
export const MIN_SECRET_BYTES = 16;

/**
 * Generates a fresh 20-byte secret from the CSPRNG.
 *
 * @example
 * ```ts
 * const secret = generateSecret(); // Buffer of 20 random bytes
 * ```
 */
export function generateSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/**
 * Decodes a base32 secret brought from elsewhere, refusing anything under 16 bytes.
 *
 * @example
 * ```ts
 * importSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').length; // 20
 * ```
 */
export function importSecret(base32: string): Buffer {
  const bytes = base32Decode(base32);
  if (!bytes) throw new InvalidInputError('The secret is not valid base32.');
  if (bytes.length < MIN_SECRET_BYTES)
    throw new InvalidInputError(`The secret must be at least ${MIN_SECRET_BYTES} bytes.`);
  return bytes;
}

/** Encodes a secret as unpadded base32, the form apps and otpauth URIs take. */
export function secretToBase32(secret: Uint8Array): string {
  return base32Encode(secret);
}

/**
 * Groups a base32 secret in fours for manual typing.
 *
 * @example
 * ```ts
 * formatSecretForDisplay('GEZDGNBVGY3TQOJQ'); // 'GEZD GNBV GY3T QOJQ'
 * ```
 */
export function formatSecretForDisplay(base32: string): string {
  return base32.replace(/(.{4})(?=.)/g, '$1 ');
}
