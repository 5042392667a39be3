/**
 * The conformance cases of the 2FA policy's stored deadlines (S36): created once and never moved,
 * shortened only, the reminder claimed once, each under parallel calls. Part of
 * {@link runStoreConformanceSuite}; not exported on its own.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { TwoFactorStore } from '@secondfactor/core';

/** What the main suite lends these cases. */
export interface EnrollmentDeadlineSuite {
  store(): TwoFactorStore;
  /** A fixed instant, `offsetSeconds` after the suite's base time. */
  at(offsetSeconds: number): Date;
  assertDateNear(actual: Date | null | undefined, expected: Date, label: string): void;
  parallelism: number;
}

/** Registers the `describe` blocks of the enrollment deadlines. */
export function describeEnrollmentDeadlines(suite: EnrollmentDeadlineSuite): void {
  const { store, at, assertDateNear, parallelism } = suite;
  const userId = () => `user-${randomUUID()}`;

  describe('enrollment deadlines (S36)', function () {
    it('findEnrollmentDeadline answers null for a user without one', async function () {
      assert.equal(await store().findEnrollmentDeadline(userId()), null);
    });

    it('createEnrollmentDeadline stores it once; a later call answers the stored one unchanged', async function () {
      const user = userId();
      const first = await store().createEnrollmentDeadline({ userId: user, deadline: at(86_400), now: at(0) });
      assert.equal(first.created, true);
      assertDateNear(first.record.deadline, at(86_400), 'deadline');
      assertDateNear(first.record.createdAt, at(0), 'createdAt');
      assert.equal(first.record.remindedAt, null);
      const second = await store().createEnrollmentDeadline({ userId: user, deadline: at(999_999), now: at(60) });
      assert.equal(second.created, false);
      assertDateNear(second.record.deadline, at(86_400), 'deadline after a second create');
      const found = await store().findEnrollmentDeadline(user);
      assert.equal(found?.userId, user);
      assertDateNear(found?.deadline, at(86_400), 'deadline read back');
    });

    it('S36: of parallel creates for one user exactly one stores, and all answer the same deadline', async function () {
      const user = userId();
      const results = await Promise.all(
        Array.from({ length: parallelism }, (_, i) =>
          store().createEnrollmentDeadline({ userId: user, deadline: at(1000 + i), now: at(0) }),
        ),
      );
      assert.equal(results.filter((r) => r.created).length, 1);
      const stored = results.find((r) => r.created)?.record.deadline.getTime();
      for (const result of results) assert.equal(result.record.deadline.getTime(), stored);
    });

    it('shortenEnrollmentDeadline stores one when none, moves a later one earlier, never a earlier one later', async function () {
      const user = userId();
      assertDateNear(
        (await store().shortenEnrollmentDeadline({ userId: user, deadline: at(500), now: at(0) })).deadline,
        at(500),
        'stored by shorten',
      );
      assertDateNear(
        (await store().shortenEnrollmentDeadline({ userId: user, deadline: at(100), now: at(50) })).deadline,
        at(100),
        'shortened',
      );
      assertDateNear(
        (await store().shortenEnrollmentDeadline({ userId: user, deadline: at(900), now: at(60) })).deadline,
        at(100),
        'not lengthened',
      );
      assertDateNear((await store().findEnrollmentDeadline(user))?.deadline, at(100), 'read back');
    });

    it('S36: claimEnrollmentReminder is true exactly once under parallel calls, and false without a deadline', async function () {
      const user = userId();
      assert.equal(await store().claimEnrollmentReminder({ userId: user, now: at(10) }), false);
      await store().createEnrollmentDeadline({ userId: user, deadline: at(86_400), now: at(0) });
      const claims = await Promise.all(
        Array.from({ length: parallelism }, () => store().claimEnrollmentReminder({ userId: user, now: at(20) })),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      assertDateNear((await store().findEnrollmentDeadline(user))?.remindedAt, at(20), 'remindedAt');
    });

    it('keeps users apart, case included', async function () {
      const lower = `user-${randomUUID()}`;
      const upper = lower.toUpperCase();
      await store().createEnrollmentDeadline({ userId: lower, deadline: at(100), now: at(0) });
      assert.equal(await store().findEnrollmentDeadline(upper), null);
      const created = await store().createEnrollmentDeadline({ userId: upper, deadline: at(200), now: at(0) });
      assert.equal(created.created, true);
      assertDateNear((await store().findEnrollmentDeadline(lower))?.deadline, at(100), 'the other user');
    });
  });
}
