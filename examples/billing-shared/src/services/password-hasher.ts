/** Password hashing with node:crypto scrypt: salted, memory-hard, parameters stored with the hash. */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters. */
export interface PasswordHashParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * The default scrypt cost: N=2^15, r=8, p=1 (32 MiB, about 50-100 ms per login on a server core).
 */
export const DEFAULT_PASSWORD_HASH_PARAMS: Readonly<PasswordHashParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/**
 * The longest password accepted; scrypt input is bounded so a huge body cannot burn CPU.
 */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: PasswordHashParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password as `scrypt$N$r$p$<salt b64>$<hash b64>`.
 */
export async function hashPassword(
  password: string,
  params: PasswordHashParams = DEFAULT_PASSWORD_HASH_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. A malformed stored hash is false.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((value) => Number.isInteger(value) && value > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const actual = await derive(password, salt, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A fingerprint of the stored password hash (S22): it changes whenever the password changes, so a
 * pending second step started before a password change fails afterwards. It reveals nothing usable.
 */
export function passwordFingerprint(storedHash: string): string {
  return createHash('sha256').update('secondfactor-password-fingerprint\0').update(storedHash).digest('base64url');
}
