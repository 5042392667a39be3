/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) over node:crypto. Codes are strings, so leading zeros
 * stay (S1); the counter is a 64-bit big-endian integer (S2); comparisons are constant-time (S14).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from './errors';

/** HMAC algorithms RFC 6238 allows. Only SHA1 is issued to users (S3); the others exist for the vectors. */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** The acceptance window, counted in time steps (S11). `0` means exactly zero steps. */
export interface TotpWindow {
  /** Steps before the current one to accept. */
  past: number;
  /** Steps after the current one to accept. */
  future: number;
}

/** The largest window accepted on either side. Wider windows are a configuration error (S11). */
export const MAX_WINDOW_STEPS = 10;
/** The default window: one step each way, for clock drift and typing time (RFC 6238 §5.2). */
export const DEFAULT_WINDOW: Readonly<TotpWindow> = Object.freeze({ past: 1, future: 1 });
/** The issued period, digits and algorithm (S3): authenticator apps ignore other values. */
export const TOTP_DEFAULTS = Object.freeze({ periodSeconds: 30, digits: 6, algorithm: 'SHA1' as TotpAlgorithm });

/** Options shared by TOTP generation and verification. */
export interface TotpOptions {
  /** The raw shared secret. */
  secret: Uint8Array;
  /** The current time in milliseconds since the Unix epoch (inject your clock). */
  timeMs: number;
  /** Seconds per step; default 30. */
  periodSeconds?: number;
  /** Code length; default 6. */
  digits?: number;
  /** Default SHA1. */
  algorithm?: TotpAlgorithm;
}

/** Options for {@link verifyTotp}. */
export interface VerifyTotpOptions extends TotpOptions {
  /** A normalised code: a string of exactly `digits` ASCII digits (see `normalizeTotpCode`). */
  code: string;
  /** Default `{ past: 1, future: 1 }`. */
  window?: TotpWindow;
}

/** The outcome of {@link verifyTotp}, in otplib's shape. */
export type VerifyTotpResult = { valid: true; timeStep: number; delta: number } | { valid: false };

/**
 * Computes an HOTP value (RFC 4226 §5.3) with a 64-bit counter.
 *
 * @example
 * ```ts
 * hotp({ secret: Buffer.from('12345678901234567890'), counter: 0n }); // '755224'
 * ```
 */
export function hotp(options: {
  secret: Uint8Array;
  counter: bigint;
  digits?: number;
  algorithm?: TotpAlgorithm;
}): string {
  const digits = options.digits ?? TOTP_DEFAULTS.digits;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt.asUintN(64, options.counter));
  const mac = createHmac(options.algorithm ?? TOTP_DEFAULTS.algorithm, options.secret)
    .update(message)
    .digest();
  // Dynamic truncation, RFC 4226 §5.4.
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, '0');
}

/**
 * The time step for a moment: `floor(timeSeconds / period)` (RFC 6238 §4.2), safe past 2038.
 *
 * @example
 * ```ts
 * timeStep(59_000); // 1
 * ```
 */
export function timeStep(timeMs: number, periodSeconds: number = TOTP_DEFAULTS.periodSeconds): number {
  return Math.floor(Math.floor(timeMs / 1000) / periodSeconds);
}

/**
 * Generates the TOTP code for a moment.
 *
 * @example
 * ```ts
 * generateTotp({ secret: Buffer.from('12345678901234567890'), timeMs: 59_000 }); // '287082'
 * ```
 */
export function generateTotp(options: TotpOptions): string {
  const step = timeStep(options.timeMs, options.periodSeconds);
  return hotp({ secret: options.secret, counter: BigInt(step), digits: options.digits, algorithm: options.algorithm });
}

/**
 * Checks a window's shape and bounds, throwing a {@link ConfigurationError} at setup.
 *
 * @example
 * ```ts
 * assertValidWindow({ past: 1, future: 0 });
 * ```
 */
export function assertValidWindow(window: TotpWindow): void {
  for (const side of ['past', 'future'] as const) {
    const value = window[side];
    if (!Number.isInteger(value) || value < 0 || value > MAX_WINDOW_STEPS) {
      throw new ConfigurationError(
        `window.${side} must be an integer from 0 to ${MAX_WINDOW_STEPS}, got ${String(value)}`,
      );
    }
  }
}

/**
 * Verifies a normalised code against every step in the window. Every candidate is computed and
 * compared in constant time, so timing does not reveal which step matched. The current step is
 * preferred, then the nearest past, then the future.
 *
 * @example
 * ```ts
 * verifyTotp({ secret: Buffer.from('12345678901234567890'), code: '287082', timeMs: 59_000 });
 * // { valid: true, timeStep: 1, delta: 0 }
 * ```
 */
export function verifyTotp(options: VerifyTotpOptions): VerifyTotpResult {
  const window = options.window ?? DEFAULT_WINDOW;
  assertValidWindow(window);
  const digits = options.digits ?? TOTP_DEFAULTS.digits;
  const given = Buffer.from(options.code, 'utf8');
  if (given.length !== digits) return { valid: false };
  const current = timeStep(options.timeMs, options.periodSeconds);
  let match: number | null = null;
  for (let delta = -window.past; delta <= window.future; delta++) {
    const step = current + delta;
    if (step < 0) continue;
    const candidate = Buffer.from(
      hotp({ secret: options.secret, counter: BigInt(step), digits, algorithm: options.algorithm }),
      'utf8',
    );
    const equal = timingSafeEqual(candidate, given);
    if (equal && (match === null || Math.abs(delta) < Math.abs(match - current))) match = step;
  }
  return match === null ? { valid: false } : { valid: true, timeStep: match, delta: match - current };
}
