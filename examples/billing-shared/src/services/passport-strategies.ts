/**
 * The sites' Passport strategies: passport-local over the users table for the password step, and
 * secondfactor's `TotpStrategy` for the second. Both frameworks' Passport (koa-passport's
 * `KoaPassport`, passport's `Passport`) take them alike.
 */
import { TotpStrategy } from '@secondfactor/passport-totp';
import type { Authenticator, Strategy } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { User } from '../db/entities/user.entity';
import { asStoreFault } from './database-faults';
import { passwordFingerprint } from './password-hasher';
import type { SiteContext } from './site-context';

/** What the sites need of a Passport instance: a koa-passport `KoaPassport` or a passport `Passport`. */
export interface PassportRegistry {
  use(name: string, strategy: Strategy): unknown;
  serializeUser: Authenticator['serializeUser'];
  deserializeUser: Authenticator['deserializeUser'];
}

/**
 * Registers `local` (email and password) and the TOTP strategy, and keeps the user id in the
 * session. Returns the TOTP strategy for the two-factor routers.
 */
export function useSiteStrategies(passport: PassportRegistry, context: SiteContext): TotpStrategy {
  passport.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', session: false },
      (email, password, done) => {
        context.accounts.checkCredentials(email, password).then((user) => done(null, user ?? false), done);
      },
    ),
  );
  // The strategy reads the service's clock: one time for the service, the strategy and the routers.
  const totp = new TotpStrategy({
    service: context.twoFactor,
    // S22: the second step fails if the password changed since the first.
    // Both hooks read the users table: an outage there is a 503 like a store fault, not a 500.
    // The strategy hands over the user loadUser just read: one users query per second step, not two.
    passwordFingerprint: (_userId, user) => passwordFingerprint((user as User).passwordHash),
    loadUser: (userId) => asStoreFault(async () => (await context.accounts.findById(userId)) ?? false),
  });
  passport.use(totp.name, totp);
  passport.serializeUser((user, done) => done(null, String((user as User).id)));
  passport.deserializeUser((id: string, done) => {
    context.accounts.findById(id).then((user) => done(null, user ?? false), done);
  });
  return totp;
}
