/**
 * The conformance cases of charged attempts (S29): `chargeAttempt` and `acceptChargedAttempt` on
 * their own, then the two attacks on password re-authentication through a real `TwoFactorService`
 * over the store under test. Part of {@link runStoreConformanceSuite}; not exported on its own.
 */
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_THROTTLE_POLICY,
  Keyring,
  TwoFactorService,
  type CredentialRecord,
  type ThrottleDecision,
  type TwoFactorOutcome,
  type TwoFactorStore,
} from '@secondfactor/core';

/** What the main suite lends these cases: its store, its seeds and its fixed clock. */
export interface ChargedAttemptSuite {
  store(): TwoFactorStore;
  seedActive(options?: { codes?: number }): Promise<{ userId: string; credentialId: string; hashes: string[] }>;
  seedPending(): Promise<{ userId: string; credentialId: string }>;
  read(userId: string): Promise<CredentialRecord>;
  /** A fixed instant, `offsetSeconds` after the suite's base time. */
  at(offsetSeconds: number): Date;
  parallelism: number;
}

const PASSWORD = 'correct horse battery staple';
const NO_THROTTLE = (): ThrottleDecision => ({ backoffUntil: null, lock: false });

/** What one `TwoFactorService` over the store under test counted. */
interface ReauthFixture {
  service: TwoFactorService;
  /** `verifyPassword` calls so far. */
  checks: number;
  /** Sets the service clock. */
  setNow(now: Date): void;
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function statusOf(outcome: TwoFactorOutcome): number {
  return outcome.ok ? 200 : outcome.error.status;
}

function countStatuses(outcomes: readonly TwoFactorOutcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const outcome of outcomes) counts[statusOf(outcome)] = (counts[statusOf(outcome)] ?? 0) + 1;
  return counts;
}

/**
 * Registers the charged-attempt cases inside the main suite's `describe`.
 */
export function describeChargedAttempts(suite: ChargedAttemptSuite): void {
  const { store, seedActive, seedPending, read, at, parallelism } = suite;

  /** A service over the store whose `verifyPassword` counts its calls and yields like a password hash. */
  function reauthService(now: Date, onCorrectPassword?: () => Promise<void>): ReauthFixture {
    let clock = now;
    const fixture: ReauthFixture = {
      checks: 0,
      setNow: (next) => {
        clock = next;
      },
      service: new TwoFactorService({
        store: store(),
        keyring: Keyring.parse(`k1:${randomBytes(32).toString('base64')}`),
        issuer: 'Conformance',
        clock: () => clock,
        scrypt: { log2N: 4 },
        verifyPassword: async (_userId, password) => {
          fixture.checks += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (password === PASSWORD && onCorrectPassword) await onCorrectPassword();
          return password === PASSWORD;
        },
      }),
    };
    return fixture;
  }

  describe('chargeAttempt', function () {
    it('counts like recordFailure: increments, passes the new count to decide, sets backoff and lock', async function () {
      const seed = await seedActive();
      const seen: number[] = [];
      const first = await store().chargeAttempt({
        credentialId: seed.credentialId,
        now: at(100),
        decide: (count) => {
          seen.push(count);
          return NO_THROTTLE();
        },
      });
      assert.deepEqual(first, { failureCount: 1, backoffUntil: null, lockedAt: null });
      const second = await store().chargeAttempt({
        credentialId: seed.credentialId,
        now: at(101),
        decide: (count) => {
          seen.push(count);
          return { backoffUntil: at(160), lock: true };
        },
      });
      assert.equal(second?.failureCount, 2);
      assert.deepEqual(seen, [1, 2]);
      const record = await read(seed.userId);
      assert.equal(record.failureCount, 2);
      assert.ok(record.backoffUntil && Math.abs(record.backoffUntil.getTime() - at(160).getTime()) <= 1000);
      assert.ok(record.lockedAt && Math.abs(record.lockedAt.getTime() - at(101).getTime()) <= 1000);
      assert.equal(record.lastUsedStep, 100, 'a charge leaves the replay guard alone');
    });

    it('S29: refuses, changing nothing, while locked or in backoff, and again once the backoff has passed', async function () {
      const seed = await seedActive();
      await store().recordFailure({
        credentialId: seed.credentialId,
        now: at(100),
        decide: () => ({ backoffUntil: at(130), lock: false }),
      });
      const during = await store().chargeAttempt({
        credentialId: seed.credentialId,
        now: at(129),
        decide: NO_THROTTLE,
      });
      assert.equal(during, null);
      assert.equal((await read(seed.userId)).failureCount, 1);
      const after = await store().chargeAttempt({ credentialId: seed.credentialId, now: at(130), decide: NO_THROTTLE });
      assert.equal(after?.failureCount, 2, 'backoffUntil itself is past: the attempt may run');

      const locked = await seedActive();
      await store().recordFailure({
        credentialId: locked.credentialId,
        now: at(100),
        decide: () => ({ backoffUntil: null, lock: true }),
      });
      assert.equal(
        await store().chargeAttempt({ credentialId: locked.credentialId, now: at(99_999), decide: NO_THROTTLE }),
        null,
      );
      const record = await read(locked.userId);
      assert.equal(record.failureCount, 1);
      assert.notEqual(record.lockedAt, null);
    });

    it('refuses a pending or unknown credential', async function () {
      const pending = await seedPending();
      assert.equal(
        await store().chargeAttempt({ credentialId: pending.credentialId, now: at(10), decide: NO_THROTTLE }),
        null,
      );
      assert.equal((await read(pending.userId)).failureCount, 0);
      assert.equal(await store().chargeAttempt({ credentialId: randomUUID(), now: at(10), decide: NO_THROTTLE }), null);
    });

    it(`S29: of ${parallelism} parallel charges, only those before the first backoff succeed`, async function () {
      const seed = await seedActive();
      const open = 3;
      const charges = await Promise.all(
        Array.from({ length: parallelism }, () =>
          store().chargeAttempt({
            credentialId: seed.credentialId,
            now: at(100),
            decide: (count) => ({ backoffUntil: count >= open ? at(200) : null, lock: false }),
          }),
        ),
      );
      const counted = charges.filter((charge) => charge !== null);
      assert.equal(counted.length, open);
      assert.deepEqual(counted.map((charge) => charge?.failureCount).sort(), [1, 2, 3]);
      assert.equal((await read(seed.userId)).failureCount, open);
    });
  });

  describe('acceptChargedAttempt', function () {
    it('clears the counter, the backoff and the lock its own charge set', async function () {
      const seed = await seedActive();
      const charged = await store().chargeAttempt({
        credentialId: seed.credentialId,
        now: at(100),
        decide: () => ({ backoffUntil: at(200), lock: true }),
      });
      assert.ok(charged);
      assert.equal(
        await store().acceptChargedAttempt({
          credentialId: seed.credentialId,
          chargedFailureCount: charged.failureCount,
          now: at(101),
        }),
        true,
      );
      const record = await read(seed.userId);
      assert.equal(record.failureCount, 0);
      assert.equal(record.backoffUntil, null);
      assert.equal(record.lockedAt, null);
      assert.equal(record.state, 'active');
      assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
    });

    it('S29: refuses, changing nothing, when a failure or another charge was counted since the charge', async function () {
      const seed = await seedActive();
      const first = await store().chargeAttempt({ credentialId: seed.credentialId, now: at(100), decide: NO_THROTTLE });
      assert.ok(first);
      await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: NO_THROTTLE });
      assert.equal(
        await store().acceptChargedAttempt({ credentialId: seed.credentialId, chargedFailureCount: 1, now: at(101) }),
        false,
      );
      const second = await store().chargeAttempt({
        credentialId: seed.credentialId,
        now: at(102),
        decide: NO_THROTTLE,
      });
      const third = await store().chargeAttempt({ credentialId: seed.credentialId, now: at(102), decide: NO_THROTTLE });
      assert.deepEqual([second?.failureCount, third?.failureCount], [3, 4]);
      assert.equal(
        await store().acceptChargedAttempt({ credentialId: seed.credentialId, chargedFailureCount: 3, now: at(103) }),
        false,
      );
      assert.equal((await read(seed.userId)).failureCount, 4);
      assert.equal(
        await store().acceptChargedAttempt({ credentialId: seed.credentialId, chargedFailureCount: 4, now: at(103) }),
        true,
      );
    });

    it('refuses a pending or unknown credential', async function () {
      const pending = await seedPending();
      await store().recordFailure({ credentialId: pending.credentialId, now: at(10), decide: NO_THROTTLE });
      assert.equal(
        await store().acceptChargedAttempt({ credentialId: pending.credentialId, chargedFailureCount: 1, now: at(11) }),
        false,
      );
      assert.equal((await read(pending.userId)).failureCount, 1);
      assert.equal(
        await store().acceptChargedAttempt({ credentialId: randomUUID(), chargedFailureCount: 1, now: at(11) }),
        false,
      );
    });

    it(`S29: accepts one charge once under ${parallelism} parallel calls`, async function () {
      const seed = await seedActive();
      const charged = await store().chargeAttempt({
        credentialId: seed.credentialId,
        now: at(100),
        decide: NO_THROTTLE,
      });
      assert.ok(charged);
      const results = await Promise.all(
        Array.from({ length: parallelism }, () =>
          store().acceptChargedAttempt({
            credentialId: seed.credentialId,
            chargedFailureCount: charged.failureCount,
            now: at(101),
          }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await read(seed.userId)).failureCount, 0);
    });
  });

  describe('S29: password re-authentication through TwoFactorService', function () {
    this.timeout(60_000);
    const { freeAttempts, maxFailures } = DEFAULT_THROTTLE_POLICY;
    // The policy lets freeAttempts + 1 guesses run at one instant: the last of them starts the backoff.
    const atOneInstant = freeAttempts + 1;

    it(`S29: ${Math.max(parallelism, 2 * atOneInstant)} parallel wrong passwords get ${atOneInstant} password checks, as many as in sequence`, async function () {
      const seed = await seedActive();
      const fixture = reauthService(at(100));
      const burst = Math.max(parallelism, 2 * atOneInstant);
      const outcomes = await Promise.all(
        Array.from({ length: burst }, (_, i) =>
          fixture.service.disable({ userId: seed.userId, password: `wrong guess ${i}` }),
        ),
      );
      assert.equal(fixture.checks, atOneInstant);
      assert.deepEqual(countStatuses(outcomes), { 401: atOneInstant, 429: burst - atOneInstant });
      const record = await read(seed.userId);
      assert.equal(record.state, 'active');
      assert.equal(record.failureCount, atOneInstant);
    });

    it('S29: after the lock, 500 guesses at the same instant run no password check and the correct password gets 423', async function () {
      const seed = await seedActive();
      const fixture = reauthService(at(100));
      // A patient attacker waits out every backoff until the factor locks.
      for (let i = 0; i < maxFailures; i++) {
        const outcome = await fixture.service.disable({ userId: seed.userId, password: `wrong guess ${i}` });
        assert.equal(statusOf(outcome), i === maxFailures - 1 ? 423 : 401);
        const record = await read(seed.userId);
        if (record.backoffUntil) fixture.setNow(new Date(record.backoffUntil.getTime() + 1000));
      }
      assert.equal(fixture.checks, maxFailures);
      assert.notEqual((await read(seed.userId)).lockedAt, null);

      const outcomes = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          fixture.service.disable({ userId: seed.userId, password: `late guess ${i}` }),
        ),
      );
      assert.deepEqual(countStatuses(outcomes), { 423: 500 });
      const correct = await fixture.service.disable({ userId: seed.userId, password: PASSWORD });
      assert.equal(statusOf(correct), 423);
      assert.equal(correct.ok ? '' : correct.error.code, 'TWO_FACTOR_LOCKED');
      assert.equal(fixture.checks, maxFailures, 'no password was checked after the lock');
      const record = await read(seed.userId);
      assert.equal(record.state, 'active');
      assert.equal(record.failureCount, maxFailures);
    });

    it('S29: a failure counted while the correct password is checked voids it, and the codes stay', async function () {
      const seed = await seedActive({ codes: 2 });
      const fixture = reauthService(at(100), async () => {
        await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: NO_THROTTLE });
      });
      const outcome = await fixture.service.regenerateBackupCodes({ userId: seed.userId, password: PASSWORD });
      assert.equal(outcome.ok ? '' : outcome.error.code, 'TWO_FACTOR_INVALID_PASSWORD');
      assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
      assert.equal((await read(seed.userId)).failureCount, 2);
    });

    it('S29: during a backoff the correct password gets 429, unchecked and uncounted, and works after it', async function () {
      const seed = await seedActive();
      await store().recordFailure({
        credentialId: seed.credentialId,
        now: at(100),
        decide: () => ({ backoffUntil: at(130), lock: false }),
      });
      const fixture = reauthService(at(110));
      assert.equal(statusOf(await fixture.service.disable({ userId: seed.userId, password: PASSWORD })), 429);
      assert.equal(fixture.checks, 0);
      assert.equal((await read(seed.userId)).failureCount, 1);
      fixture.setNow(at(131));
      assert.equal(statusOf(await fixture.service.disable({ userId: seed.userId, password: PASSWORD })), 200);
      assert.equal(await store().findByUserId(seed.userId), null);
    });
  });
}
