/**
 * The Koa side of signing in: passport-local checks the password, then `beginSecondFactor` of
 * @secondfactor/koa decides: a pending second factor on a new session id, or a full sign-in. Login
 * and registration both come here, so no path skips the second factor (S20, S23, S24).
 */
import type { TwoFactorRouters } from '@secondfactor/koa';
import type { SignInSteps, User } from '@secondfactor/example-billing-shared';
import type { Context } from 'koa';
import type { SitePassport } from '../routes/dependencies';

/**
 * The sign-in steps of one request, for `passwordLogin` and `registration`.
 */
export function signInSteps(
  ctx: Context,
  passport: SitePassport,
  beginSecondFactor: TwoFactorRouters<User>['beginSecondFactor'],
): SignInSteps {
  return {
    async checkPassword() {
      let found: User | null = null;
      // session: false: Passport only checks the password here; the password step decides the rest.
      await passport.authenticate('local', { session: false }, (error: unknown, user: User | false) => {
        if (error) throw error;
        found = user || null;
      })(ctx, async () => undefined);
      return found;
    },
    completePasswordStep: async (user) => (await beginSecondFactor(ctx, user)).status,
  };
}
