import * as chai from 'chai';
import { MemoryTwoFactorStore, TwoFactorService, type EnrollmentRequirement } from '../src';
import { enroll, failure, makeService, PASSWORD, randomKeyring, success } from './support/service-fixture';

const { expect } = chai;

const DAY_MS = 86_400_000;

/** Owners (ids starting with `owner-`) are required; sub-accounts (`sub-`) are not eligible. */
function requireOwners(userId: string): EnrollmentRequirement {
  return { required: userId.startsWith('owner-') || userId.startsWith('sub-') };
}

describe('TwoFactorService enrollment policy', function () {
  describe('when the policy requires a user without 2FA', function () {
    it('S36: before the deadline the user is required but not due; at and after it, due', async function () {
      const fixture = makeService({ requirement: requireOwners, graceDays: 14 });
      const start = fixture.clock.now();
      const first = await fixture.service.enrollmentPolicy('owner-1');
      expect(first).to.deep.equal({
        required: true,
        requiredBy: new Date(start.getTime() + 14 * DAY_MS),
        enrollmentDue: false,
      });
      fixture.clock.advance({ seconds: 14 * 86_400 - 1 });
      expect(await fixture.service.enrollmentPolicy('owner-1')).to.include({ enrollmentDue: false });
      fixture.clock.advance({ seconds: 1 });
      expect(await fixture.service.enrollmentPolicy('owner-1')).to.include({ enrollmentDue: true });
      fixture.clock.advance({ days: 30 });
      const after = await fixture.service.enrollmentPolicy('owner-1');
      expect(after).to.include({ required: true, enrollmentDue: true });
      expect(after.requiredBy?.getTime()).to.equal(start.getTime() + 14 * DAY_MS);
    });

    it('S36: status answers required and requiredBy, the stored grace deadline', async function () {
      const fixture = makeService({ requirement: requireOwners, graceDays: 3 });
      const status = await fixture.service.status('owner-1');
      expect(status).to.include({ required: true, enabled: false });
      expect(status.requiredBy?.getTime()).to.equal(fixture.clock.nowMs() + 3 * DAY_MS);
    });

    it('S36: the grace period runs from the hook’s since, when given', async function () {
      const fixture = makeService();
      const since = new Date(fixture.clock.nowMs() - 10 * DAY_MS);
      const service = new TwoFactorService({
        store: fixture.store,
        keyring: randomKeyring(),
        issuer: 'Acme Billing',
        verifyPassword: () => true,
        clock: fixture.clock.clock,
        requirement: () => ({ required: true, since }),
        graceDays: 14,
      });
      const policy = await service.enrollmentPolicy('owner-1');
      expect(policy.requiredBy?.getTime()).to.equal(since.getTime() + 14 * DAY_MS);
      fixture.clock.advance({ days: 4 });
      expect(await service.enrollmentPolicy('owner-1')).to.include({ enrollmentDue: true });
    });

    it('S36: the first computation stores the deadline and emits enrollment.required once, with requiredBy', async function () {
      const fixture = makeService({ requirement: requireOwners });
      await Promise.all([1, 2, 3].map(() => fixture.service.enrollmentPolicy('owner-1')));
      await fixture.service.status('owner-1');
      const required = fixture.events.filter((event) => event.type === 'enrollment.required');
      expect(required).to.have.length(1);
      expect(required[0]).to.include({ userId: 'owner-1', reason: 'policy' });
      const stored = await fixture.store.findEnrollmentDeadline('owner-1');
      expect(required[0].requiredBy?.getTime()).to.equal(stored?.deadline.getTime());
    });

    it('S36: a user who has just enabled 2FA is no longer due, and gets no deadline', async function () {
      const fixture = makeService({ requirement: requireOwners, graceDays: 0 });
      expect(await fixture.service.enrollmentPolicy('owner-1')).to.include({ enrollmentDue: true });
      await enroll(fixture, 'owner-1');
      expect(await fixture.service.enrollmentPolicy('owner-1')).to.deep.equal({
        required: true,
        requiredBy: null,
        enrollmentDue: false,
      });
      const owner2 = makeService({ requirement: requireOwners });
      await enroll(owner2, 'owner-2');
      await owner2.service.enrollmentPolicy('owner-2');
      expect(await owner2.store.findEnrollmentDeadline('owner-2')).to.equal(null);
      expect(owner2.events.map((event) => event.type)).to.not.include('enrollment.required');
    });
  });

  describe('when graceDays changes after a deadline was stored', function () {
    it('S36: the stored deadline neither grows nor shrinks', async function () {
      const store = new MemoryTwoFactorStore({ quiet: true });
      const first = makeService({ store, requirement: requireOwners, graceDays: 14 });
      const stored = (await first.service.enrollmentPolicy('owner-1')).requiredBy;
      for (const graceDays of [1, 60]) {
        const later = makeService({ store, requirement: requireOwners, graceDays });
        later.clock.set(first.clock.now());
        const policy = await later.service.enrollmentPolicy('owner-1');
        expect(policy.requiredBy?.getTime()).to.equal(stored?.getTime());
        expect(policy.enrollmentDue).to.equal(false);
      }
      const fresh = makeService({ store, requirement: requireOwners, graceDays: 1 });
      fresh.clock.set(first.clock.now());
      expect((await fresh.service.enrollmentPolicy('owner-2')).requiredBy?.getTime()).to.equal(
        first.clock.nowMs() + DAY_MS,
      );
    });
  });

  describe('when the user is a sub-account', function () {
    it('S36: is never required, whatever the hook answers, and gets no deadline', async function () {
      const fixture = makeService({ requirement: requireOwners, graceDays: 0 });
      fixture.clock.advance({ days: 100 });
      expect(await fixture.service.enrollmentPolicy('sub-1')).to.deep.equal({
        required: false,
        requiredBy: null,
        enrollmentDue: false,
      });
      expect(await fixture.service.status('sub-1')).to.include({ required: false, requiredBy: null, eligible: false });
      expect(await fixture.store.findEnrollmentDeadline('sub-1')).to.equal(null);
    });
  });

  describe('when there is no policy', function () {
    it('S36: nobody is required, and no store is read for it', async function () {
      const fixture = makeService();
      expect(await fixture.service.enrollmentPolicy('owner-1')).to.deep.equal({
        required: false,
        requiredBy: null,
        enrollmentDue: false,
      });
      expect(await fixture.service.status('owner-1')).to.include({ required: false, requiredBy: null });
    });

    it('refuses a graceDays outside 0 to 365 and a requirement that is not a function at construction', function () {
      for (const graceDays of [-1, 366, 1.5, Number.NaN])
        expect(() => makeService({ graceDays })).to.throw(/graceDays/);
      expect(() => makeService({ requirement: 'owners' as never })).to.throw(/requirement/);
    });
  });

  describe('when a required user tries to turn 2FA off', function () {
    it('S36: disable answers 409 TWO_FACTOR_REQUIRED_BY_POLICY before the password is checked, and 2FA stays on', async function () {
      let passwordChecks = 0;
      const fixture = makeService({
        requirement: requireOwners,
        verifyPassword: (_userId, password) => {
          passwordChecks += 1;
          return password === PASSWORD;
        },
      });
      await enroll(fixture, 'owner-1');
      const outcome = failure(await fixture.service.disable({ userId: 'owner-1', password: PASSWORD }));
      expect(outcome.error).to.include({ status: 409, code: 'TWO_FACTOR_REQUIRED_BY_POLICY' });
      expect(outcome.reason).to.equal('required_by_policy');
      expect(passwordChecks).to.equal(0);
      expect(await fixture.store.findByUserId('owner-1')).to.include({ state: 'active', failureCount: 0 });
      await enroll(fixture, 'user-1');
      success(await fixture.service.disable({ userId: 'user-1', password: PASSWORD }));
    });
  });

  describe('when support turns 2FA off for a required user', function () {
    it('S36: admin disable works, and enrollment is due at once, with no new grace', async function () {
      const fixture = makeService({ requirement: requireOwners, graceDays: 14 });
      await enroll(fixture, 'owner-1');
      success(await fixture.service.adminDisable({ userId: 'owner-1', actorId: 'support-1' }));
      expect(await fixture.store.findByUserId('owner-1')).to.equal(null);
      const policy = await fixture.service.enrollmentPolicy('owner-1');
      expect(policy).to.include({ required: true, enrollmentDue: true });
      expect(policy.requiredBy?.getTime()).to.be.at.most(fixture.clock.nowMs());
      expect(fixture.events.map((event) => event.type)).to.include('admin.disabled');
    });

    it('S36: a deadline already past stays; re-enrollment lets the user through again', async function () {
      const fixture = makeService({ requirement: requireOwners, graceDays: 1 });
      const requiredBy = (await fixture.service.enrollmentPolicy('owner-1')).requiredBy as Date;
      fixture.clock.advance({ days: 3 });
      await enroll(fixture, 'owner-1');
      success(await fixture.service.adminDisable({ userId: 'owner-1', actorId: 'support-1' }));
      expect((await fixture.service.enrollmentPolicy('owner-1')).requiredBy?.getTime()).to.equal(requiredBy.getTime());
      await enroll(fixture, 'owner-1');
      expect(await fixture.service.enrollmentPolicy('owner-1')).to.include({ enrollmentDue: false });
    });
  });

  describe('when the reminder before the deadline is claimed', function () {
    it('S36: it is claimed once per stored deadline, and never without one', async function () {
      const fixture = makeService({ requirement: requireOwners });
      expect(await fixture.service.claimEnrollmentReminder('owner-1')).to.equal(false);
      await fixture.service.enrollmentPolicy('owner-1');
      const claims = await Promise.all([1, 2, 3].map(() => fixture.service.claimEnrollmentReminder('owner-1')));
      expect(claims.filter(Boolean)).to.have.length(1);
      expect(await fixture.service.claimEnrollmentReminder('owner-1')).to.equal(false);
    });
  });
});
