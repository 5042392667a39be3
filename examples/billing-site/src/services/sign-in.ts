/**
 * The one place a password-verified user becomes signed in. Login and registration both come here,
 * so no path skips the second factor (S24).
 */
import type { TwoFactorRouters } from '@secondfactor/koa';
import type { Context } from 'koa';
import type { User } from '../db/entities/user.entity';

/** What the password step led to (the `status` of `POST /login`). */
export type PasswordStepResult = 'authenticated' | 'two-factor-required';

/**
 * Finishes a successful password check with `beginSecondFactor` of @secondfactor/koa. With 2FA on
 * (even when locked) only a pending second factor is stored, bound to the password through its
 * fingerprint (S20, S22), on a new session id (S23); without it the user is signed in. A store fault
 * throws, so nobody is let in unchecked.
 *
 * @example
 * ```ts
 * const status = await completePasswordStep(ctx, user, twoFactor.beginSecondFactor);
 * ctx.body = { status };
 * ```
 */
export async function completePasswordStep(
  ctx: Context,
  user: User,
  beginSecondFactor: TwoFactorRouters<User>['beginSecondFactor'],
): Promise<PasswordStepResult> {
  return (await beginSecondFactor(ctx, user)).status;
}
