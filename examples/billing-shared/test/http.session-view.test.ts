import { setPendingSecondFactor } from '@secondfactor/passport-totp';
import * as chai from 'chai';
import type { User } from '../src/db/entities/user.entity';
import { sessionProbe, signedInUser } from '../src/http/session-view';

const { expect } = chai;

const ada = { id: 7, name: 'Ada Lovelace', email: 'ada@example.com', parentId: null } as User;
const now = new Date('2031-06-01T12:00:00Z');

describe('signedInUser', () => {
  describe('when Passport knows a user and no second factor is pending', () => {
    it('S20: answers the user', () => {
      expect(signedInUser({ authenticated: true, user: ada, session: {}, now })).to.equal(ada);
    });
  });

  describe('when a second factor is pending, expired or not, even beside a Passport user', () => {
    it('S20: answers null', () => {
      const session: Record<string, unknown> = { passport: { user: '7' } };
      setPendingSecondFactor(session, { userId: '7', now });
      expect(signedInUser({ authenticated: true, user: ada, session, now })).to.equal(null);
      const later = new Date(now.getTime() + 11 * 60_000);
      expect(signedInUser({ authenticated: true, user: ada, session, now: later })).to.equal(null);
    });
  });

  describe('when Passport knows nobody', () => {
    it('answers null', () => {
      expect(signedInUser({ authenticated: false, user: ada, session: {}, now })).to.equal(null);
    });
  });
});

describe('sessionProbe', () => {
  describe('when the password step is done and the second factor is due', () => {
    it('S20: says pending, not signed in, until the pending login expires', () => {
      const session: Record<string, unknown> = {};
      setPendingSecondFactor(session, { userId: '7', now });
      expect(sessionProbe({ authenticated: false, user: undefined, session, now }, 'token')).to.deep.equal({
        authenticated: false,
        twoFactorPending: true,
        user: null,
        csrfToken: 'token',
        twoFactorEnrollmentRequired: false,
        twoFactorRequiredBy: null,
        stepUpValidUntil: null,
      });
      const later = new Date(now.getTime() + 11 * 60_000);
      expect(
        sessionProbe({ authenticated: false, user: undefined, session, now: later }, 't').twoFactorPending,
      ).to.equal(false);
    });
  });

  describe('when a user is signed in', () => {
    it('shows the public user, never the password hash', () => {
      const probe = sessionProbe(
        { authenticated: true, user: { ...ada, passwordHash: 'scrypt$x' }, session: {}, now },
        't',
      );
      expect(probe.user).to.deep.equal({
        id: 7,
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        parentId: null,
        isSubAccount: false,
      });
    });
  });
});

describe('sessionProbe with the 2FA policy', () => {
  const requiredBy = new Date(now.getTime() - 1000);

  it('S36: reports enrollment due and the deadline for a signed-in user', () => {
    const probe = sessionProbe({ authenticated: true, user: ada, session: {}, now }, 't', {
      required: true,
      requiredBy,
      enrollmentDue: true,
    });
    expect(probe).to.include({ twoFactorEnrollmentRequired: true, twoFactorRequiredBy: requiredBy.toISOString() });
  });

  it('S36: reports nothing for a visitor who is not signed in, whatever the policy says', () => {
    const probe = sessionProbe({ authenticated: false, user: undefined, session: {}, now }, 't', {
      required: true,
      requiredBy,
      enrollmentDue: true,
    });
    expect(probe).to.include({ twoFactorEnrollmentRequired: false, twoFactorRequiredBy: null });
  });
});

describe('sessionProbe step-up', () => {
  describe('when the signed-in session verified within the max age', () => {
    it('S35: reports stepUpValidUntil as verification + max age, and null beyond it', () => {
      const at0 = new Date('2030-01-01T00:00:00Z');
      const session = { secondFactorVerifiedAt: at0.getTime() };
      const user = { id: 7, name: 'Ada', email: 'ada@example.com', parentId: null, createdAt: at0 } as never;
      const at = (ms: number) =>
        sessionProbe({ authenticated: true, user, session, now: new Date(ms) }, 't', null, 900);
      expect(at(at0.getTime() + 1000).stepUpValidUntil).to.equal('2030-01-01T00:15:00.000Z');
      expect(at(at0.getTime() + 900_001).stepUpValidUntil).to.equal(null);
    });
  });
});
