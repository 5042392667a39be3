/**
 * The Express side of signing in: passport-local checks the password, then `beginSecondFactor` of
 * @secondfactor/express decides: a pending second factor on a new session id, or a full sign-in.
 * Login and registration both come here, so no path skips the second factor (S20, S23, S24).
 */
import type { TwoFactorRouters } from '@secondfactor/express';
import type { SignInSteps, User } from '@secondfactor/example-billing-shared';
import type { Request, Response } from 'express';
import type { Passport } from 'passport';

/**
 * The sign-in steps of one request, for `passwordLogin` and `registration`.
 */
export function signInSteps(
  req: Request,
  res: Response,
  passport: InstanceType<typeof Passport>,
  beginSecondFactor: TwoFactorRouters<User>['beginSecondFactor'],
): SignInSteps {
  return {
    checkPassword: () =>
      new Promise((resolve, reject) => {
        // session: false: Passport only checks the password here; the password step decides the rest.
        const authenticate = passport.authenticate('local', { session: false }, (error: unknown, user: User | false) =>
          error ? reject(error) : resolve(user || null),
        );
        authenticate(req, res, reject);
      }),
    completePasswordStep: async (user) => (await beginSecondFactor(req, user)).status,
  };
}
