/**
 * The per-address limit of `POST /register` (S32): the password throttle's address window, as the
 * sites hand it to the package's `limitAttemptsByAddress`, with each refusal logged and audited.
 */
import type { AddressThrottle } from '@secondfactor/web';
import { AccountEventType } from './account-events';
import type { SiteContext } from './site-context';

/**
 * `site.loginThrottle`'s address count for registration; a refusal is recorded as
 * `login.throttled` (reason `address`) before the middleware answers 429.
 *
 * @example
 * ```ts
 * router.post('/register', twoFactor.limitAttemptsByAddress(registrationAddressLimit(site)), register);
 * ```
 */
export function registrationAddressLimit(site: Pick<SiteContext, 'loginThrottle' | 'recordEvent'>): AddressThrottle {
  return {
    async claimAddress(ip) {
      const decision = await site.loginThrottle.claimAddress(ip);
      if (!decision.ok)
        await site.recordEvent({
          type: AccountEventType.LoginThrottled,
          reason: 'address',
          retryAfterSeconds: decision.retryAfterSeconds,
          ip,
        });
      return decision;
    },
  };
}
