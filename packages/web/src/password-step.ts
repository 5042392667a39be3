/**
 * The host's password step in one call (S20–S24, S34): after a correct password, a user with 2FA on gets
 * only a pending login on a new session id, unless a trusted device of theirs skips the second factor
 * (never the password); a user without 2FA is signed in. Written once here for
 * every adapter's `beginSecondFactor`.
 */
import { ConfigurationError } from '@secondfactor/core';
import type { ResolvedOptions } from './options';
import type { WebRequest } from './request';
import { markVerified } from './step-up-session';
import { eventMeta } from './request-meta';
import { clearDeviceCookie, readDeviceToken } from './trusted-device-cookie';
import { recordSecurityStamp } from './security-stamp';

/**
 * What the password step led to, and where a browser goes next: the challenge, or `successRedirect`.
 * `status` is what `POST /login` answers JSON clients.
 *
 * @example
 * ```ts
 * const next: PasswordStepOutcome = await twoFactor.beginSecondFactor(ctx, user);
 * if (wantsJson) ctx.body = { status: next.status };
 * else ctx.redirect(next.redirectTo);
 * ```
 */
export type PasswordStepOutcome =
  { status: 'two-factor-required'; redirectTo: string } | { status: 'authenticated'; redirectTo: string };

/**
 * Finishes a successful password check for `user`:
 * - 2FA on (even locked): forgets any earlier sign-in, regenerates the session (S23) and leaves
 *   only a pending login bound to the password fingerprint (S20, S22); the challenge comes next.
 * - 2FA off, or a trusted device of this user and credential (S34): drops any pending login and
 *   signs the user in (Passport regenerates the session). A device cookie that does not match is
 *   cleared.
 *
 * A store fault rejects, so nobody is signed in unchecked. A session without `regenerate`, or a
 * strategy that is not passport-totp's `TotpStrategy`, is a `ConfigurationError`.
 */
export async function completePasswordStep<N>(
  resolved: ResolvedOptions<N>,
  request: WebRequest<N>,
  user: unknown,
): Promise<PasswordStepOutcome> {
  const { strategy } = resolved;
  if (typeof strategy.startPendingLogin !== 'function' || typeof strategy.clearPendingLogin !== 'function')
    throw new ConfigurationError(
      'beginSecondFactor needs the TotpStrategy of @secondfactor/passport-totp as strategy.',
    );
  const { session } = request;
  if (!session.data)
    throw new ConfigurationError('beginSecondFactor needs a session: mount the session middleware first.');
  if (typeof session.regenerate !== 'function' || typeof session.forgetUser !== 'function')
    throw new ConfigurationError('beginSecondFactor needs a session that can regenerate its id (S23).');
  if (user === undefined || user === null || user === false)
    throw new TypeError('beginSecondFactor needs the user whose password was just checked.');
  const userId = resolved.getUserId(user);
  const cookie = resolved.trustedDeviceCookie;
  const deviceToken = readDeviceToken(request, cookie);
  // One indexed read (S20), and one more on the token hash when a device cookie came along (S34).
  const decision = await resolved.service.passwordStep({ userId, deviceToken, meta: eventMeta(request) });
  // A token that is unknown, revoked, expired or not this user's is cleared as soon as it is seen.
  if (decision.forgetDeviceToken) clearDeviceCookie(request, cookie);
  if (decision.secondFactor === 'required') {
    // Until the code is checked nobody is signed in here, and the pending login gets a new id.
    session.forgetUser();
    const fresh = await session.regenerate();
    await strategy.startPendingLogin(fresh, { userId, user });
    return { status: 'two-factor-required', redirectTo: resolved.challengePrefix };
  }
  // 2FA off, or a trusted device of this user and credential (S34): the password was checked, the
  // second factor is skipped, and Passport's login regenerates the session (S23).
  strategy.clearPendingLogin(session.data);
  const signedIn = await session.logIn(user);
  recordSecurityStamp(resolved, request, { user }, decision.secondFactor === 'off' ? 'off' : 'on');
  // Without 2FA the password is the user's verification for step-up (S35), as a code is with it; a
  // trusted device skipped the second factor, so the first sensitive action still asks for a code.
  if (decision.secondFactor === 'off') markVerified(signedIn ?? session.current?.() ?? session.data, resolved.clock());
  return { status: 'authenticated', redirectTo: resolved.successRedirect };
}
