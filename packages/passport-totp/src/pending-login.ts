/**
 * The password step's side of the pending login (S20, S22): after a correct password, the state the
 * second step will read, bound to the password through the same fingerprint the second step checks.
 */
import { ConfigurationError, serviceUserId } from '@secondfactor/core';
import { setPendingSecondFactor, type PendingSecondFactor, type SessionLike } from './pending-second-factor';
import type { SecondStepOptions } from './second-step';

/**
 * Who just proved their password.
 *
 * @example
 * ```ts
 * const input: PendingLoginInput = { userId: user.id, user };
 * ```
 */
export interface PendingLoginInput<User = unknown> {
  /** The user's id, as the host keeps it (a string or a safe integer). */
  userId: string | number;
  /** The user, handed to `passwordFingerprint` as the second step will hand it the one `loadUser` returns. */
  user: User;
}

/**
 * Writes the pending state for `input.userId` into `session`, with the fingerprint of the
 * strategy's `passwordFingerprint` (S22) and its clock. A fingerprint hook that answers no string
 * would make every second step fail, so it is a setup mistake and throws.
 *
 * @example
 * ```ts
 * const pending = await startPendingLogin(options, req.session, { userId: user.id, user });
 * ```
 */
export async function startPendingLogin(
  options: Pick<SecondStepOptions, 'passwordFingerprint' | 'hostUserId' | 'clock'>,
  session: SessionLike,
  input: PendingLoginInput,
): Promise<PendingSecondFactor> {
  let userId: string;
  try {
    userId = serviceUserId(input?.userId);
  } catch {
    throw new ConfigurationError('The password step needs the user id as a safe integer or a non-empty string.');
  }
  let fingerprint: string | undefined;
  if (options.passwordFingerprint) {
    const value = await options.passwordFingerprint(options.hostUserId(userId), input.user);
    if (typeof value !== 'string')
      throw new ConfigurationError('passwordFingerprint(userId, user) must return a string at the password step.');
    fingerprint = value;
  }
  return setPendingSecondFactor(session, { userId, fingerprint, now: options.clock() });
}
