/**
 * The `info` the strategy hands to Passport: one stable shape, so a host's custom callback can
 * answer without knowing which check failed (S14).
 */
import type { TwoFactorError, TwoFactorErrorCodeValue } from '@secondfactor/core';
import type { NoPendingLoginError, SecondStepErrorCodeValue } from './second-step-error';

/**
 * What `fail(info, status)` carries.
 *
 * @example
 * ```ts
 * const info: TotpFailureInfo = { code: 'TWO_FACTOR_THROTTLED', message: 'Too many attempts. Try again later.', status: 429, retryAfterSeconds: 8 };
 * ```
 */
export interface TotpFailureInfo {
  /** The stable error code, e.g. `TWO_FACTOR_INVALID_CODE`. */
  code: TwoFactorErrorCodeValue | SecondStepErrorCodeValue;
  /** A message safe to show the user. */
  message: string;
  /** The code's one HTTP status, which Passport also receives: 400, 401, 409, 423 or 429. */
  status: number;
  /** Seconds until the next attempt is allowed; set with status 429 (S16). */
  retryAfterSeconds?: number;
}

/**
 * What `success(user, info)` carries.
 *
 * @example
 * ```ts
 * const info: TotpSuccessInfo = { method: 'backup_code', message: 'Signed in with a backup code.', backupCodes: ['K7QX-M2ZP-W9RT-HD4N'] };
 * ```
 */
export interface TotpSuccessInfo {
  /** Which factor signed the user in. */
  method: 'totp' | 'backup_code';
  /** A message safe to show the user. */
  message: string;
  /** The new backup codes, shown once, when a backup code was used and a new set was issued (S19). */
  backupCodes?: string[];
  /** Unused backup codes after a backup code login. */
  backupCodesRemaining?: number;
}

/**
 * Either `info` the strategy produces. Failures carry `code`; successes carry `method`.
 *
 * @example
 * ```ts
 * const answer = (info: TotpStrategyInfo) => (isTotpFailureInfo(info) ? info.status : 200);
 * ```
 */
export type TotpStrategyInfo = TotpFailureInfo | TotpSuccessInfo;

/**
 * True when `info` describes a failure (it carries a stable `code`).
 *
 * @example
 * ```ts
 * passport.authenticate('totp', (err: unknown, user: unknown, info: TotpStrategyInfo | undefined) => {
 *   if (!user && isTotpFailureInfo(info)) res.status(info.status).json({ error: { code: info.code, message: info.message } });
 * });
 * ```
 */
export function isTotpFailureInfo(info: unknown): info is TotpFailureInfo {
  return (
    typeof info === 'object' &&
    info !== null &&
    typeof (info as { code?: unknown }).code === 'string' &&
    typeof (info as { status?: unknown }).status === 'number'
  );
}

/** The failure `info` for a refused service outcome: its stable code, safe message and status. */
export function failureInfo(error: TwoFactorError | NoPendingLoginError): TotpFailureInfo {
  const info: TotpFailureInfo = { code: error.code, message: error.message, status: error.status };
  const retryAfterSeconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfterSeconds === 'number') info.retryAfterSeconds = retryAfterSeconds;
  return info;
}

/** The success `info`: the method and, after a backup code, the new codes to show once. */
export function successInfo(outcome: {
  method: 'totp' | 'backup_code';
  backupCodes?: string[];
  backupCodesRemaining?: number;
}): TotpSuccessInfo {
  if (outcome.method === 'totp') return { method: 'totp', message: 'Signed in.' };
  const info: TotpSuccessInfo = { method: 'backup_code', message: 'Signed in with a backup code.' };
  if (outcome.backupCodes) {
    info.backupCodes = [...outcome.backupCodes];
    info.message =
      'Signed in with a backup code. Backup codes are valid once only, so a new one was issued: write it down now.';
  }
  if (typeof outcome.backupCodesRemaining === 'number') info.backupCodesRemaining = outcome.backupCodesRemaining;
  return info;
}
