/**
 * Backup codes (S17–S19): 80 random bits written `XXXX-XXXX-XXXX-XXXX` from a 32-letter
 * alphabet without I, O, 0 or 1, stored only as salted scrypt hashes. All codes of one set share
 * a salt, so checking an attempt costs one scrypt evaluation whatever the count (S18).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from './errors';
import { MAX_CODE_INPUT_LENGTH, type NormalizedInput } from './code-input';

/** Letters and digits that cannot be mistaken for each other: no I, O, 0 or 1. 32 symbols, 5 bits each. */
export const BACKUP_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Symbols per code: 16 × 5 bits = 80 bits (NIST 800-63B-4 §4.2.1.1 asks for at least 64 for look-up secrets). */
export const BACKUP_CODE_LENGTH = 16;

/** scrypt cost parameters. Defaults: N = 2^14, r = 8, p = 1 (16 MiB, tens of milliseconds). */
export interface ScryptParams {
  /** log2 of N, the CPU/memory cost. */
  log2N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** The documented default scrypt parameters (OWASP's minimum is N=2^17 for passwords; backup codes carry 80 random bits, so 2^14 suffices). */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ log2N: 14, r: 8, p: 1 });

const HASH_BYTES = 32;
const SALT_BYTES = 16;
const MAX_SCRYPT_WORK = 2 ** 23;

/**
 * Generates one backup code from the CSPRNG, formatted in groups of 4.
 *
 * @example
 * ```ts
 * generateBackupCode(); // e.g. 'K7QX-M2ZP-W9RT-HD4N'
 * ```
 */
export function generateBackupCode(): string {
  // 5 bits per symbol from one byte each: 256 is a multiple of 32, so `& 31` has no bias.
  const bytes = randomBytes(BACKUP_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < BACKUP_CODE_LENGTH; i++) {
    if (i > 0 && i % 4 === 0) code += '-';
    code += BACKUP_CODE_ALPHABET[bytes[i] & 31];
  }
  return code;
}

/**
 * Normalises a typed backup code: case, spaces and dashes do not matter (S19).
 *
 * @example
 * ```ts
 * normalizeBackupCode(' k7qx m2zp-w9rt hd4n '); // { ok: true, value: 'K7QXM2ZPW9RTHD4N' }
 * ```
 */
export function normalizeBackupCode(input: unknown): NormalizedInput {
  if (typeof input !== 'string') return { ok: false, reason: 'not_string' };
  if (input.length > MAX_CODE_INPUT_LENGTH) return { ok: false, reason: 'too_long' };
  const value = input.replace(/[ -]/g, '').toUpperCase();
  if (value.length !== BACKUP_CODE_LENGTH) return { ok: false, reason: 'bad_format' };
  for (const char of value) if (!BACKUP_CODE_ALPHABET.includes(char)) return { ok: false, reason: 'bad_format' };
  return { ok: true, value };
}

/**
 * Whether scrypt can run with these parameters at a bounded cost: positive integers, log2N up to 20,
 * N below 2^(16·r) (RFC 7914 §2), and N·r·p at most 2^23 (N = 2^20 with r = 8: 1 GiB, about a second).
 */
function withinScryptLimits({ log2N, r, p }: ScryptParams): boolean {
  if (![log2N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  return log2N <= 20 && log2N < 16 * r && 2 ** log2N * r * p <= MAX_SCRYPT_WORK;
}

function scryptAsync(secret: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  // The memory OpenSSL asks for: 128·r bytes for each of the N + p + 2 blocks it holds at once.
  const maxmem = 128 * params.r * (N + params.p + 2);
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, HASH_BYTES, { N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function encodeHash(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `scrypt$${params.log2N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function decodeHash(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer; saltKey: string } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  // A damaged row is skipped, never evaluated: it must not make every backup-code login fail or stall.
  const hash = Buffer.from(parts[5], 'base64url');
  if (!withinScryptLimits({ log2N, r, p }) || hash.length !== HASH_BYTES) return null;
  return {
    params: { log2N, r, p },
    salt: Buffer.from(parts[4], 'base64url'),
    hash,
    saltKey: parts.slice(1, 5).join('$'),
  };
}

/**
 * Hashes backup codes with scrypt. One salt per set, so a later check costs one evaluation.
 *
 * @example
 * ```ts
 * const hasher = new BackupCodeHasher();
 * const hashes = await hasher.hashSet(['K7QX-M2ZP-W9RT-HD4N']);
 * (await hasher.findMatch('K7QXM2ZPW9RTHD4N', hashes)) === hashes[0]; // true (findMatch takes a normalised code)
 * ```
 */
export class BackupCodeHasher {
  private readonly params: ScryptParams;

  constructor(params: Partial<ScryptParams> = {}) {
    this.params = { ...DEFAULT_SCRYPT_PARAMS, ...params };
    if (!withinScryptLimits(this.params)) {
      throw new ConfigurationError(
        'scrypt parameters must be positive integers with log2N from 1 to 20, N below 2^(16·r) and N·r·p at most 2^23.',
      );
    }
  }

  /** Hashes every code of a new set under one fresh salt. Codes may be formatted or normalised. */
  async hashSet(codes: readonly string[]): Promise<string[]> {
    const salt = randomBytes(SALT_BYTES);
    const hashes: string[] = [];
    for (const code of codes) {
      const normalized = normalizeBackupCode(code);
      if (!normalized.ok) throw new ConfigurationError('hashSet was given a code that is not a backup code.');
      hashes.push(encodeHash(this.params, salt, await scryptAsync(normalized.value, salt, this.params)));
    }
    return hashes;
  }

  /**
   * Returns the stored hash a normalised code matches, or null. Evaluates scrypt once per distinct
   * salt (once for a set made by {@link hashSet}) and compares against every hash in constant time,
   * without stopping at the first match. A damaged row (not a hash in this format, or parameters
   * beyond the limits the constructor enforces) is skipped.
   */
  async findMatch(normalizedCode: string, storedHashes: readonly string[]): Promise<string | null> {
    const computed = new Map<string, Buffer>();
    let match: string | null = null;
    for (const stored of storedHashes) {
      const decoded = decodeHash(stored);
      if (!decoded) continue;
      let candidate = computed.get(decoded.saltKey);
      if (!candidate) {
        candidate = await scryptAsync(normalizedCode, decoded.salt, decoded.params);
        computed.set(decoded.saltKey, candidate);
      }
      if (timingSafeEqual(candidate, decoded.hash) && match === null) match = stored;
    }
    return match;
  }
}
