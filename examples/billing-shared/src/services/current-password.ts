/**
 * The current-password check before a change of the account itself (the password change),
 * throttled as every password re-authentication is (S29): the attempt is counted before the
 * password is checked. With 2FA on it is the service's re-authentication, in the counter it shares
 * with codes (429 during backoff, 423 once locked, no check); without 2FA it is the throttled check
 * of "Confirm it's you" (a backoff, never a lock).
 */
import { TwoFactorErrorCode, type RequestMeta } from '@secondfactor/core';
import type { SiteContext } from './site-context';
import { SiteError, SiteErrorCode, tooManyAttempts } from './site-error';

const WRONG = 'The current password is not correct.';

/** 401 `INVALID_CREDENTIALS` on the current-password field. */
function wrongPassword(): SiteError {
  return new SiteError(401, SiteErrorCode.InvalidCredentials, WRONG, { currentPassword: WRONG });
}

/**
 * Resolves when `password` is the user's current password; throws the refusal otherwise: 401
 * `INVALID_CREDENTIALS`, 429 with `Retry-After` during a backoff, 423 `TWO_FACTOR_LOCKED`.
 */
export async function checkCurrentPassword(
  site: Pick<SiteContext, 'twoFactor' | 'stepUpPasswords'>,
  userId: string,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const outcome = await site.twoFactor.reauthenticate({ userId, password, meta });
  if (outcome.ok) return;
  if (outcome.error.code === TwoFactorErrorCode.InvalidPassword) throw wrongPassword();
  if (outcome.error.code !== TwoFactorErrorCode.NotEnabled) throw outcome.error;
  // No 2FA: the same throttled check as "Confirm it's you" without 2FA.
  const answer = await site.stepUpPasswords.check(userId, password);
  if (answer.ok) return;
  if (answer.retryAfterSeconds === undefined) throw wrongPassword();
  throw tooManyAttempts(answer.retryAfterSeconds);
}
