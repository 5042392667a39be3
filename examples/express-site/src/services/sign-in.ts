/**
 * The Express side of signing in: passport-local on the request, and what the password step does
 * to express-session's session. The decisions (2FA on or not, pending or signed in) are the shared
 * `completePasswordStep`'s, so login and registration can never skip the second factor (S24).
 */
import type { TwoFactorService } from '@secondfactor/core';
import { completePasswordStep, type SignInSteps, type User } from '@secondfactor/example-billing-shared';
import type { Request, Response } from 'express';
import type { Passport } from 'passport';

/** Runs an Express-style callback API as a promise. */
function promised(run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

/**
 * The sign-in steps of one request, for `passwordLogin` and `registration`.
 *
 * @example
 * ```ts
 * send(req, res, await passwordLogin(siteRequest(req), demoLogins, signInSteps(req, res, passport, site.twoFactor)));
 * ```
 */
export function signInSteps(
  req: Request,
  res: Response,
  passport: InstanceType<typeof Passport>,
  twoFactor: Pick<TwoFactorService, 'isEnabled' | 'clock'>,
): SignInSteps {
  if (!req.session) throw new Error('The session middleware must run before sign-in.');
  return {
    checkPassword: () =>
      new Promise((resolve, reject) => {
        // session: false: Passport only checks the password here; the password step decides the rest.
        const authenticate = passport.authenticate('local', { session: false }, (error: unknown, user: User | false) =>
          error ? reject(error) : resolve(user || null),
        );
        authenticate(req, res, reject);
      }),
    completePasswordStep: (user) =>
      completePasswordStep(user, twoFactor, {
        current: () => req.session,
        async restart() {
          // A new, empty session under a new id: the old one (and any sign-in in it) is destroyed (S23).
          await promised((done) => req.session.regenerate(done));
          req.user = undefined;
          return req.session;
        },
        // passport 0.7 regenerates the session on login (S23).
        logIn: (user) => promised((done) => req.logIn(user, done)),
      }),
  };
}
