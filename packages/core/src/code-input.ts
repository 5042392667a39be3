/**
 * Strict input normalisation, run before any crypto (S13, S19). Anything that is not a short
 * string of the exact form is refused, so arrays, numbers, null, full-width or Arabic-Indic
 * digits, signs, NUL and oversized strings never reach HMAC or scrypt.
 */

/** Inputs longer than this many characters are refused before any other work (S13). */
export const MAX_CODE_INPUT_LENGTH = 64;

/** The result of normalising user input. */
export type NormalizedInput =
  { ok: true; value: string } | { ok: false; reason: 'not_string' | 'too_long' | 'bad_format' };

/**
 * Normalises a TOTP code: removes ASCII spaces, then requires exactly `digits` ASCII digits.
 *
 * @example
 * ```ts
 * normalizeTotpCode('287 082', 6); // { ok: true, value: '287082' }
 * normalizeTotpCode(287082, 6);    // { ok: false, reason: 'not_string' }
 * ```
 */
export function normalizeTotpCode(input: unknown, digits: number): NormalizedInput {
  if (typeof input !== 'string') return { ok: false, reason: 'not_string' };
  if (input.length > MAX_CODE_INPUT_LENGTH) return { ok: false, reason: 'too_long' };
  const value = input.replace(/ /g, '');
  // [0-9] only: \d would also be ASCII here, but the explicit class documents the intent.
  if (value.length !== digits || !/^[0-9]+$/.test(value)) return { ok: false, reason: 'bad_format' };
  return { ok: true, value };
}
