/**
 * The typed outcome of the second login step, as passport-totp's `TotpStrategy.verify` returns it:
 * the user to sign in, or the service's error with its code, status and headers, whole.
 */
import type { FactorMethod, TwoFactorError } from '@secondfactor/core';

/**
 * The user to sign in, or the typed error.
 *
 * @example
 * ```ts
 * const result: SecondStepResult = await strategy.verify(request);
 * if (!result.ok) console.log(result.error.code); // e.g. 'TWO_FACTOR_INVALID_CODE'
 * ```
 */
export type SecondStepResult =
  | { ok: true; user: unknown; method: FactorMethod; backupCodes?: string[]; backupCodesRemaining?: number }
  | { ok: false; error: TwoFactorError };
