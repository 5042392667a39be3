/**
 * The Koa side of signing in: passport-local on the request, and what the password step does to
 * koa-session's session. The decisions (2FA on or not, pending or signed in) are the shared
 * `completePasswordStep`'s, so login and registration can never skip the second factor (S24).
 */
import { ConfigurationError, type TwoFactorService } from '@secondfactor/core';
import { completePasswordStep, type SignInSteps, type User } from '@secondfactor/example-billing-shared';
import type { Context } from 'koa';
import { sessionOf } from '../middleware/request-context';
import type { SitePassport } from '../routes/dependencies';

/**
 * The sign-in steps of one request, for `passwordLogin` and `registration`.
 *
 * @example
 * ```ts
 * send(ctx, await passwordLogin(siteRequest(ctx), demoLogins, signInSteps(ctx, passport, site.twoFactor)));
 * ```
 */
export function signInSteps(
  ctx: Context,
  passport: SitePassport,
  twoFactor: Pick<TwoFactorService, 'isEnabled' | 'clock'>,
): SignInSteps {
  const session = () => {
    const current = sessionOf(ctx);
    if (!current) throw new Error('The session middleware must run before sign-in.');
    return current;
  };
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
    completePasswordStep: (user) =>
      completePasswordStep(user, twoFactor, {
        current: session,
        async restart() {
          // Drop any earlier sign-in in this browser, then move the session to a new id (S23).
          const current = session();
          delete current.passport;
          delete ctx.state.user;
          // Without regenerate the pending login would keep the old session id (S23): refuse, never skip.
          if (typeof current.regenerate !== 'function')
            throw new ConfigurationError(
              'The session must have regenerate() (koa-session 7 or later) for sign-in (S23).',
            );
          await current.regenerate();
          return current;
        },
        // Passport regenerates the session on login (S23).
        logIn: (user) => ctx.login(user),
      }),
  };
}
