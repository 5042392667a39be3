/** RFC 4648 base32 without padding, as authenticator apps expect (Key Uri Format). */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LOOKUP: Record<string, number> = Object.fromEntries([...ALPHABET].map((c, i) => [c, i]));

/**
 * Encodes bytes as unpadded upper-case base32.
 *
 * @example
 * ```ts
 * base32Encode(Buffer.from('12345678901234567890')); // 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
 * ```
 */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes base32, ignoring case, spaces, dashes and trailing `=` padding.
 * Returns null for any other character, so callers refuse instead of guessing.
 *
 * @example
 * ```ts
 * base32Decode('gezd gnbv')?.toString(); // '12345'
 * ```
 */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = LOOKUP[char];
    if (value === undefined) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
