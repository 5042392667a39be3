/**
 * Session binding (S31): every security-relevant change rotates the user's security stamp through
 * the host's `rotateSecurityStamp` hook, so the user's other sessions are signed out at their next
 * request. The one place core rotates it; features that end sessions call {@link rotateSecurityStamp}.
 */
import type { TwoFactorFailure } from './outcome';
import { ConfigurationError, StoreUnavailableError } from './errors';
import type { ServiceContext } from './service-context';

const STAMP = /^[\x21-\x7e]{1,255}$/;

/**
 * Checks the `rotateSecurityStamp` option at setup.
 *
 * @internal
 */
export function checkRotateSecurityStamp(hook: unknown): void {
  if (hook !== undefined && typeof hook !== 'function')
    throw new ConfigurationError('rotateSecurityStamp must be a function (userId) => the new stamp.');
}

/**
 * Rotates the user's security stamp (S31) and returns the new stamp, so the session that made the
 * change can carry on with it; undefined when the host keeps no stamp. A hook that fails or returns
 * no printable stamp rejects with `StoreUnavailableError` (503): the change stands, but its
 * sessions would not have ended, and the client must not be told all is well.
 *
 * @internal
 */
export async function rotateSecurityStamp(ctx: ServiceContext, userId: string): Promise<string | undefined> {
  const hook = ctx.options.rotateSecurityStamp;
  if (!hook) return undefined;
  let stamp: unknown;
  try {
    stamp = await hook(userId);
  } catch (error) {
    throw new StoreUnavailableError('The security stamp could not be rotated.', { cause: error });
  }
  if (typeof stamp !== 'string' || !STAMP.test(stamp))
    throw new StoreUnavailableError(
      'rotateSecurityStamp must resolve to the new stamp: 1 to 255 printable characters.',
    );
  return stamp;
}

/**
 * The outcome field that hands the new stamp to the session that made the change: `{ securityStamp }`
 * when the host keeps stamps, else nothing, so outcomes stay as they were for hosts without one.
 *
 * @internal
 */
export function stampField(stamp: string | undefined): { securityStamp?: string } {
  return stamp === undefined ? {} : { securityStamp: stamp };
}

/**
 * A refusal after the stamp was rotated for a change that then did not commit: the failure carries
 * the new stamp, so the session that asked is not signed out by its own request.
 *
 * @internal
 */
export function withStamp(failure: TwoFactorFailure, stamp: string | undefined): TwoFactorFailure {
  return stamp === undefined ? failure : { ...failure, securityStamp: stamp };
}
