/**
 * The one place a password-verified user becomes signed in. Login and registration both come here,
 * so no path skips the second factor (S24).
 */
import { ConfigurationError, type TwoFactorService } from '@secondfactor/core';
import { clearPendingSecondFactor, setPendingSecondFactor } from '@secondfactor/passport-totp';
import type { Context } from 'koa';
import type { User } from '../db/entities/user.entity';
import { sessionOf } from '../middleware/request-context';
import { passwordFingerprint } from './password-hasher';

/** What the password step led to (the `status` of `POST /login`). */
export type PasswordStepResult = 'authenticated' | 'two-factor-required';

/**
 * Finishes a successful password check. With 2FA on (even when locked) only a pending second factor
 * is stored, bound to the password through a fingerprint (S20, S22); without it the user is signed in.
 * Either way the session id changes (S23). A store fault throws, so nobody is let in unchecked.
 *
 * @example
 * ```ts
 * const status = await completePasswordStep(ctx, user, twoFactor);
 * ctx.body = { status };
 * ```
 */
export async function completePasswordStep(
  ctx: Context,
  user: User,
  twoFactor: Pick<TwoFactorService, 'isEnabled' | 'clock'>,
): Promise<PasswordStepResult> {
  const enabled = await twoFactor.isEnabled(String(user.id));
  const session = sessionOf(ctx);
  if (!session) throw new Error('The session middleware must run before sign-in.');
  if (enabled) {
    // Drop any earlier sign-in in this browser: until the code is checked, nobody is signed in here.
    delete session.passport;
    delete ctx.state.user;
    // Without regenerate the pending login would keep the old session id (S23): refuse, never skip.
    if (typeof session.regenerate !== 'function')
      throw new ConfigurationError('The session must have regenerate() (koa-session 7 or later) for sign-in (S23).');
    await session.regenerate();
    setPendingSecondFactor(session, {
      userId: String(user.id),
      fingerprint: passwordFingerprint(user.passwordHash),
      now: twoFactor.clock(),
    });
    return 'two-factor-required';
  }
  clearPendingSecondFactor(session);
  // Passport regenerates the session on login (S23).
  await ctx.login(user);
  return 'authenticated';
}
