/**
 * The typed outcome of the second login step, as passport-totp's `TotpStrategy.verify` returns it:
 * the user to sign in, or the error with its code, status and headers, whole. This package does not
 * depend on passport-totp, so it describes the strategy's own refusal by its shape.
 */
import type { FactorMethod, TwoFactorError } from '@secondfactor/core';

/**
 * passport-totp's `NoPendingLoginError`, by its shape: no login is pending in the session (S20).
 * Its code and its one status (401) have their home in passport-totp (`SECOND_STEP_ERROR_STATUS`).
 *
 * @example
 * ```ts
 * if (!result.ok && result.error.code === 'TWO_FACTOR_NO_PENDING_LOGIN') redirectToLogin();
 * ```
 */
export interface NoPendingLoginFailure {
  code: 'TWO_FACTOR_NO_PENDING_LOGIN';
  status: number;
  message: string;
  expose: boolean;
  headers: Record<string, string>;
}

/**
 * passport-totp's answer when no login is pending, which the challenge routes also give to a
 * `GET /` that finds none, so the two never differ.
 */
export const NO_PENDING_LOGIN = { code: 'TWO_FACTOR_NO_PENDING_LOGIN', status: 401 } as const;

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
  | { ok: false; error: TwoFactorError | NoPendingLoginFailure };
