import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import type { Context } from 'koa';
import { ConfigurationError } from '@secondfactor/core';
import { hasPendingSecondFactor } from '@secondfactor/passport-totp';
import type { User } from '@secondfactor/example-billing-shared';
import type { SitePassport } from '../src/routes/dependencies';
import { signInSteps } from '../src/services/sign-in';

chai.use(chaiAsPromised);
const { expect } = chai;

const NOW = new Date(Date.UTC(2030, 0, 1));

/** Only the two calls the password step may make: `isEnabled` and `clock`. */
function twoFactor(enabled: boolean) {
  return { isEnabled: async (_userId: string) => enabled, clock: () => NOW };
}

function contextWith(session: Record<string, unknown>): Context {
  return { session, state: { user: { id: 7 } } } as unknown as Context;
}

const USER = { id: 7, passwordHash: 'scrypt$1024$8$1$c2FsdA==$a2V5' } as unknown as User;

/** The password step of the Koa site's sign-in steps (it uses no Passport: the password was checked). */
function completePasswordStep(ctx: Context, user: User, service: ReturnType<typeof twoFactor>) {
  return signInSteps(ctx, {} as SitePassport, service).completePasswordStep(user);
}

describe('signInSteps: the password step on koa-session', () => {
  describe('when 2FA is on and the session cannot regenerate', () => {
    it('S23: throws a ConfigurationError and leaves no pending login behind, rather than keep the old session id', async () => {
      const session: Record<string, unknown> = { passport: { user: 7 } };
      await expect(completePasswordStep(contextWith(session), USER, twoFactor(true))).to.be.rejectedWith(
        ConfigurationError,
        /regenerate/,
      );
      expect(hasPendingSecondFactor(session)).to.equal(false);
    });
  });

  describe('when 2FA is on and the session can regenerate', () => {
    it('S20, S23: regenerates the session, then leaves only a pending second factor in it', async () => {
      const session: Record<string, unknown> = { passport: { user: 7 }, generation: 1 };
      session.regenerate = async () => {
        for (const key of Object.keys(session)) if (key !== 'regenerate') delete session[key];
        session.generation = 2;
      };
      expect(await completePasswordStep(contextWith(session), USER, twoFactor(true))).to.equal('two-factor-required');
      expect(session.generation).to.equal(2);
      expect(session).to.not.have.property('passport');
      expect(hasPendingSecondFactor(session)).to.equal(true);
    });
  });
});
