/**
 * The one place a password-verified user becomes signed in, on either site. Login and registration
 * both come here, so no path skips the second factor (S24). The framework supplies only how to
 * start a fresh session and how Passport logs in.
 */
import type { TwoFactorService } from '@secondfactor/core';
import { clearPendingSecondFactor, setPendingSecondFactor, type SessionLike } from '@secondfactor/passport-totp';
import type { User } from '../db/entities/user.entity';
import type { PasswordStepResult } from '../http/sign-in-pages';
import { passwordFingerprint } from './password-hasher';

/** What the framework does to the request's session during the password step. */
export interface PasswordStepSession {
  /** The session as it is. */
  current(): SessionLike;
  /** Drops any earlier sign-in and answers a session under a new id (S23), without a user. */
  restart(): Promise<SessionLike>;
  /** Passport's login, which regenerates the session (S23). */
  logIn(user: User): Promise<void>;
}

/**
 * Finishes a successful password check. With 2FA on (even when locked) only a pending second factor
 * is stored, in a fresh session, bound to the password through a fingerprint (S20, S22); without it
 * the user is signed in. Either way the session id changes (S23). A store fault throws, so nobody
 * is let in unchecked.
 *
 * @example
 * ```ts
 * const status = await completePasswordStep(user, site.twoFactor, {
 *   current: () => req.session,
 *   restart: () =>
 *     new Promise((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve(req.session)))),
 *   logIn: (user) => new Promise((resolve, reject) => req.logIn(user, (e) => (e ? reject(e) : resolve()))),
 * });
 * ```
 */
export async function completePasswordStep(
  user: User,
  twoFactor: Pick<TwoFactorService, 'isEnabled' | 'clock'>,
  session: PasswordStepSession,
): Promise<PasswordStepResult> {
  // One indexed read; a locked factor counts as on. A store fault throws: nobody is let in unchecked.
  if (await twoFactor.isEnabled(String(user.id))) {
    // Until the code is checked, nobody is signed in in this browser.
    setPendingSecondFactor(await session.restart(), {
      userId: String(user.id),
      fingerprint: passwordFingerprint(user.passwordHash),
      now: twoFactor.clock(),
    });
    return 'two-factor-required';
  }
  clearPendingSecondFactor(session.current());
  await session.logIn(user);
  return 'authenticated';
}
