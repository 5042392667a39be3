/**
 * The store conformance suite: every `TwoFactorStore` (memory, TypeORM on SQLite and MySQL, any
 * future adapter) runs these same mocha tests, so the service can rely on one written contract
 * (docs/architecture.md#store-contract). Assertions are on state read back through the store, never on calls.
 */
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  isValidUserId,
  MAX_USER_ID_LENGTH,
  type CredentialRecord,
  type FailureState,
  type RecordFailureInput,
  type ThrottleDecision,
  type TwoFactorStore,
} from '@secondfactor/core';
import { describeChargedAttempts } from './charged-attempt-conformance';
import { describeEnrollmentDeadlines } from './enrollment-deadline-conformance';
import { describeServiceOutcomes } from './service-outcome-conformance';
import { describeTrustedDevices } from './trusted-device-conformance';

/** What the suite's factory returns: a ready store and, optionally, how to release it. */
export interface ConformanceStoreHandle {
  store: TwoFactorStore;
  /** Closes connections, drops scratch databases. Called once after the suite. */
  teardown?: () => Promise<void>;
}

/** Options for {@link runStoreConformanceSuite}. */
export interface StoreConformanceOptions {
  /** Parallel calls in each concurrency test. Default 20. */
  parallelism?: number;
}

/** Stores may keep whole seconds only (MySQL DATETIME), so dates are compared to within this. */
const DATE_TOLERANCE_MS = 1000;
/** Whole seconds, far from any real clock, so no store default (`CURRENT_TIMESTAMP`) can be mistaken for ours. */
const BASE_MS = Date.UTC(2031, 4, 17, 9, 30, 0);

function at(offsetSeconds: number): Date {
  return new Date(BASE_MS + offsetSeconds * 1000);
}

function assertDateNear(actual: Date | null | undefined, expected: Date, label: string): void {
  assert.ok(
    actual instanceof Date && !Number.isNaN(actual.getTime()),
    `${label}: expected a Date, got ${String(actual)}`,
  );
  const drift = Math.abs(actual.getTime() - expected.getTime());
  assert.ok(drift <= DATE_TOLERANCE_MS, `${label}: expected ${expected.toISOString()}, got ${actual.toISOString()}`);
}

/** An envelope shaped like `SecretCipher`'s, so column sizes and character sets are exercised. */
function fakeEnvelope(keyId = 'k1'): string {
  const b64 = (n: number): string => randomBytes(n).toString('base64url');
  return `sf1.${keyId}.${b64(12)}.${b64(20)}.${b64(16)}`;
}

/** A hash shaped like `BackupCodeHasher`'s output. */
function fakeHash(): string {
  return `scrypt$14$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;
}

function fakeHashes(count: number): string[] {
  return Array.from({ length: count }, fakeHash);
}

const NO_THROTTLE = (): ThrottleDecision => ({ backoffUntil: null, lock: false });
const LOCK_NOW = (): ThrottleDecision => ({ backoffUntil: null, lock: true });

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

/**
 * Registers a mocha `describe` block that checks every method of the `TwoFactorStore` contract,
 * including its atomicity under parallel calls. Uses mocha's globals. Each test works on fresh
 * random user and credential ids, so a store over a shared database needs no cleaning between tests.
 */
export function runStoreConformanceSuite(
  name: string,
  makeStore: () => Promise<ConformanceStoreHandle>,
  options: StoreConformanceOptions = {},
): void {
  const parallelism = options.parallelism ?? 20;

  describe(`TwoFactorStore conformance: ${name}`, function () {
    let handle: ConformanceStoreHandle | undefined;

    function store(): TwoFactorStore {
      if (!handle) throw new Error('The store factory did not run (see the before hook failure).');
      return handle.store;
    }

    before(async function () {
      handle = await makeStore();
    });

    after(async function () {
      if (handle?.teardown) await handle.teardown();
    });

    interface Seed {
      userId: string;
      credentialId: string;
      encryptedSecret: string;
      hashes: string[];
    }

    async function seedPending(overrides: { expiresAt?: Date; now?: Date; userId?: string } = {}): Promise<Seed> {
      const seed: Seed = {
        userId: overrides.userId ?? `user-${randomUUID()}`,
        credentialId: randomUUID(),
        encryptedSecret: fakeEnvelope(),
        hashes: [],
      };
      const saved = await store().savePending({
        id: seed.credentialId,
        userId: seed.userId,
        encryptedSecret: seed.encryptedSecret,
        keyId: 'k1',
        pendingExpiresAt: overrides.expiresAt ?? at(600),
        now: overrides.now ?? at(0),
      });
      assert.equal(saved, true, 'savePending of a new user must return true');
      return seed;
    }

    async function seedActive(options: { step?: number; codes?: number; userId?: string } = {}): Promise<Seed> {
      const seed = await seedPending({ userId: options.userId });
      seed.hashes = fakeHashes(options.codes ?? 3);
      const activated = await store().activate({
        credentialId: seed.credentialId,
        step: options.step ?? 100,
        backupCodeHashes: seed.hashes,
        now: at(60),
      });
      assert.equal(activated, true, 'activate of a fresh pending credential must return true');
      return seed;
    }

    async function read(userId: string): Promise<CredentialRecord> {
      const record = await store().findByUserId(userId);
      assert.ok(record, `expected a credential for ${userId}`);
      return record;
    }

    describe('findByUserId', function () {
      it('returns null for a user without a credential', async function () {
        assert.equal(await store().findByUserId(`user-${randomUUID()}`), null);
      });

      it('returns every field of a saved pending credential', async function () {
        const seed = await seedPending({ expiresAt: at(600), now: at(0) });
        const record = await read(seed.userId);
        assert.equal(record.id, seed.credentialId);
        assert.equal(record.userId, seed.userId);
        assert.equal(record.state, 'pending');
        assert.equal(record.encryptedSecret, seed.encryptedSecret);
        assert.equal(record.keyId, 'k1');
        assertDateNear(record.pendingExpiresAt, at(600), 'pendingExpiresAt');
        assert.equal(record.lastUsedStep, null);
        assert.equal(record.failureCount, 0);
        assert.equal(record.backoffUntil, null);
        assert.equal(record.lockedAt, null);
        assertDateNear(record.createdAt, at(0), 'createdAt');
        assert.equal(record.confirmedAt, null);
        assert.ok(record.updatedAt instanceof Date, 'updatedAt must be a Date');
      });

      it('returns a snapshot: changing the returned object does not change the store', async function () {
        const seed = await seedActive();
        const record = await read(seed.userId);
        record.failureCount = 99;
        record.lockedAt = at(1);
        record.state = 'pending';
        const again = await read(seed.userId);
        assert.equal(again.failureCount, 0);
        assert.equal(again.lockedAt, null);
        assert.equal(again.state, 'active');
      });
    });

    describe('user ids', function () {
      it('hold the longest valid id, 255 UTF-16 code units of any script, and find it exactly', async function () {
        const userId = `${randomUUID()}${'Ω'.repeat(100)}${'😀'.repeat(50)}${'z'.repeat(19)}`;
        assert.equal(userId.length, MAX_USER_ID_LENGTH);
        assert.equal(isValidUserId(userId), true);
        const seed = await seedActive({ userId });
        const record = await read(userId);
        assert.equal(record.userId, userId);
        assert.equal(record.id, seed.credentialId);
        assert.equal(await store().deleteByUserId(userId), true);
        assert.equal(await store().findByUserId(userId), null);
      });

      it('keep apart ids that differ only in case, accents or Unicode normalization', async function () {
        const base = `user-${randomUUID()}-`;
        const userIds = ['ada', 'Ada', 'ADA', 'ad\u00e1', 'ada\u0301'].map((name) => base + name);
        const seeds = [];
        for (const userId of userIds) seeds.push(await seedPending({ userId }));
        for (const seed of seeds) {
          const record = await read(seed.userId);
          assert.equal(record.id, seed.credentialId, `the credential of ${JSON.stringify(seed.userId)}`);
          assert.equal(record.userId, seed.userId);
        }
        assert.equal(await store().deleteByUserId(userIds[1]), true);
        for (const seed of [seeds[0], ...seeds.slice(2)]) assert.equal((await read(seed.userId)).id, seed.credentialId);
      });
    });

    describe('savePending', function () {
      it('replaces a pending credential: the new id and secret win and the old id is dead', async function () {
        const first = await seedPending();
        const secondId = randomUUID();
        const secondSecret = fakeEnvelope('k2');
        const saved = await store().savePending({
          id: secondId,
          userId: first.userId,
          encryptedSecret: secondSecret,
          keyId: 'k2',
          pendingExpiresAt: at(1200),
          now: at(600 - 1),
        });
        assert.equal(saved, true);
        const record = await read(first.userId);
        assert.equal(record.id, secondId);
        assert.equal(record.encryptedSecret, secondSecret);
        assert.equal(record.keyId, 'k2');
        assertDateNear(record.pendingExpiresAt, at(1200), 'pendingExpiresAt');
        assert.equal(
          await store().activate({
            credentialId: first.credentialId,
            step: 5,
            backupCodeHashes: fakeHashes(1),
            now: at(700),
          }),
          false,
        );
        assert.equal((await read(first.userId)).state, 'pending');
      });

      it('S39: a pending credential reads back unchanged, failures aside, until it is replaced, so a restarted setup shows the key the app already holds', async function () {
        const seed = await seedPending({ expiresAt: at(600), now: at(0) });
        const before = await read(seed.userId);
        // A wrong Verification Step code counts a failure on the pending credential; its key stays.
        await store().recordFailure({
          credentialId: seed.credentialId,
          now: at(60),
          decide: () => ({ backoffUntil: null, lock: false }),
        });
        const after = await read(seed.userId);
        assert.equal(after.id, before.id);
        assert.equal(after.state, 'pending');
        assert.equal(after.encryptedSecret, seed.encryptedSecret);
        assert.equal(after.keyId, before.keyId);
        assertDateNear(after.pendingExpiresAt, at(600), 'pendingExpiresAt');
        assert.equal(after.failureCount, 1);
      });

      it('S39: of parallel first saves for one user (replaces: null) exactly one stores, and its secret stays', async function () {
        const userId = `user-${randomUUID()}`;
        const attempts = Array.from({ length: 8 }, () => ({ id: randomUUID(), secret: fakeEnvelope() }));
        const saved = await Promise.all(
          attempts.map((a) =>
            store().savePending({
              id: a.id,
              userId,
              encryptedSecret: a.secret,
              keyId: 'k1',
              pendingExpiresAt: at(600),
              now: at(0),
              replaces: null,
            }),
          ),
        );
        assert.equal(saved.filter(Boolean).length, 1);
        const winner = attempts[saved.indexOf(true)];
        const record = await read(userId);
        assert.equal(record.id, winner.id);
        assert.equal(record.encryptedSecret, winner.secret);
      });

      it('S39: a save that replaces a credential another save already replaced changes nothing', async function () {
        const first = await seedPending();
        const save = (id: string) =>
          store().savePending({
            id,
            userId: first.userId,
            encryptedSecret: fakeEnvelope(),
            keyId: 'k1',
            pendingExpiresAt: at(1200),
            now: at(60),
            replaces: first.credentialId,
          });
        const winnerId = randomUUID();
        assert.equal(await save(winnerId), true);
        assert.equal(await save(randomUUID()), false);
        assert.equal((await read(first.userId)).id, winnerId);
      });

      it('replaces an expired pending credential', async function () {
        const first = await seedPending({ expiresAt: at(600) });
        const secondId = randomUUID();
        const saved = await store().savePending({
          id: secondId,
          userId: first.userId,
          encryptedSecret: fakeEnvelope(),
          keyId: 'k1',
          pendingExpiresAt: at(3600),
          now: at(3000),
        });
        assert.equal(saved, true);
        assert.equal((await read(first.userId)).id, secondId);
      });

      it('refuses, changing nothing, when the user has an active credential', async function () {
        const seed = await seedActive({ step: 42 });
        const saved = await store().savePending({
          id: randomUUID(),
          userId: seed.userId,
          encryptedSecret: fakeEnvelope('k2'),
          keyId: 'k2',
          pendingExpiresAt: at(1800),
          now: at(1200),
        });
        assert.equal(saved, false);
        const record = await read(seed.userId);
        assert.equal(record.id, seed.credentialId);
        assert.equal(record.state, 'active');
        assert.equal(record.encryptedSecret, seed.encryptedSecret);
        assert.equal(record.keyId, 'k1');
        assert.equal(record.lastUsedStep, 42);
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
      });

      it('keeps users apart: another user’s pending enrollment is untouched', async function () {
        const a = await seedPending();
        const b = await seedPending();
        assert.equal((await read(a.userId)).id, a.credentialId);
        assert.equal((await read(b.userId)).id, b.credentialId);
      });
    });

    describe('activate', function () {
      it('turns the credential active, consumes the step, stores the backup codes', async function () {
        const seed = await seedPending({ expiresAt: at(600), now: at(0) });
        const hashes = fakeHashes(10);
        const activated = await store().activate({
          credentialId: seed.credentialId,
          step: 63115201,
          backupCodeHashes: hashes,
          now: at(120),
        });
        assert.equal(activated, true);
        const record = await read(seed.userId);
        assert.equal(record.state, 'active');
        assert.equal(record.lastUsedStep, 63115201);
        assertDateNear(record.confirmedAt, at(120), 'confirmedAt');
        assert.equal(record.pendingExpiresAt, null);
        assert.equal(record.failureCount, 0);
        assert.equal(record.backoffUntil, null);
        assert.equal(record.lockedAt, null);
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(hashes));
        assert.equal(
          await store().useStep({
            credentialId: seed.credentialId,
            step: 63115201,
            expectedFailureCount: 0,
            now: at(121),
          }),
          false,
          'the confirming step must be consumed',
        );
      });

      it('clears failures counted while pending', async function () {
        const seed = await seedPending();
        await store().recordFailure({
          credentialId: seed.credentialId,
          now: at(10),
          decide: () => ({ backoffUntil: at(12), lock: false }),
        });
        await store().recordFailure({ credentialId: seed.credentialId, now: at(20), decide: NO_THROTTLE });
        assert.equal((await read(seed.userId)).failureCount, 2);
        assert.equal(
          await store().activate({
            credentialId: seed.credentialId,
            step: 7,
            backupCodeHashes: fakeHashes(1),
            now: at(30),
          }),
          true,
        );
        const record = await read(seed.userId);
        assert.equal(record.failureCount, 0);
        assert.equal(record.backoffUntil, null);
      });

      it('refuses an expired pending credential, changing nothing', async function () {
        const seed = await seedPending({ expiresAt: at(600), now: at(0) });
        const activated = await store().activate({
          credentialId: seed.credentialId,
          step: 9,
          backupCodeHashes: fakeHashes(2),
          now: at(601),
        });
        assert.equal(activated, false);
        const record = await read(seed.userId);
        assert.equal(record.state, 'pending');
        assert.equal(record.lastUsedStep, null);
        assert.equal(record.confirmedAt, null);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), []);
      });

      it('treats pendingExpiresAt itself as expired (it must be later than now)', async function () {
        const seed = await seedPending({ expiresAt: at(600), now: at(0) });
        assert.equal(
          await store().activate({
            credentialId: seed.credentialId,
            step: 9,
            backupCodeHashes: fakeHashes(1),
            now: at(600),
          }),
          false,
        );
        assert.equal(
          await store().activate({
            credentialId: seed.credentialId,
            step: 9,
            backupCodeHashes: fakeHashes(1),
            now: at(599),
          }),
          true,
        );
      });

      it('refuses a second activation, keeping the first step and codes', async function () {
        const seed = await seedActive({ step: 100, codes: 2 });
        const activated = await store().activate({
          credentialId: seed.credentialId,
          step: 200,
          backupCodeHashes: fakeHashes(2),
          now: at(90),
        });
        assert.equal(activated, false);
        const record = await read(seed.userId);
        assert.equal(record.lastUsedStep, 100);
        assertDateNear(record.confirmedAt, at(60), 'confirmedAt');
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
      });

      it('refuses an unknown credential id', async function () {
        assert.equal(
          await store().activate({ credentialId: randomUUID(), step: 1, backupCodeHashes: fakeHashes(1), now: at(0) }),
          false,
        );
      });

      it(`activates exactly once under ${parallelism} parallel calls, with one whole set of codes`, async function () {
        const seed = await seedPending();
        const sets = Array.from({ length: parallelism }, () => fakeHashes(2));
        const results = await Promise.all(
          sets.map((hashes, i) =>
            store().activate({
              credentialId: seed.credentialId,
              step: 1000 + i,
              backupCodeHashes: hashes,
              now: at(30),
            }),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        const winner = results.indexOf(true);
        assert.equal((await read(seed.userId)).lastUsedStep, 1000 + winner);
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(sets[winner]));
      });
    });

    describe('useStep', function () {
      it('accepts a later step, records it and clears failures', async function () {
        const seed = await seedActive({ step: 100 });
        await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: NO_THROTTLE });
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 1, now: at(110) }),
          true,
        );
        const record = await read(seed.userId);
        assert.equal(record.lastUsedStep, 101);
        assert.equal(record.failureCount, 0);
        assert.equal(record.backoffUntil, null);
      });

      it('refuses the same step and older steps, keeping lastUsedStep (S12)', async function () {
        const seed = await seedActive({ step: 100 });
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 100, expectedFailureCount: 0, now: at(100) }),
          false,
        );
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 99, expectedFailureCount: 0, now: at(100) }),
          false,
        );
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 105, expectedFailureCount: 0, now: at(100) }),
          true,
        );
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 103, expectedFailureCount: 0, now: at(100) }),
          false,
        );
        assert.equal((await read(seed.userId)).lastUsedStep, 105);
      });

      it('holds steps of 64-bit time: the step at t = 20000000000 s', async function () {
        const seed = await seedActive({ step: 666666665 });
        assert.equal(
          await store().useStep({
            credentialId: seed.credentialId,
            step: 666666666,
            expectedFailureCount: 0,
            now: at(100),
          }),
          true,
        );
        assert.equal((await read(seed.userId)).lastUsedStep, 666666666);
      });

      it('refuses a pending credential', async function () {
        const seed = await seedPending();
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 5, expectedFailureCount: 0, now: at(10) }),
          false,
        );
        assert.equal((await read(seed.userId)).lastUsedStep, null);
      });

      it('refuses a locked credential (S16)', async function () {
        const seed = await seedActive({ step: 100 });
        await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: LOCK_NOW });
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 0, now: at(200) }),
          false,
        );
        const record = await read(seed.userId);
        assert.equal(record.lastUsedStep, 100);
        assert.notEqual(record.lockedAt, null);
      });

      it('refuses during backoff and accepts once it has passed (S16)', async function () {
        const seed = await seedActive({ step: 100 });
        await store().recordFailure({
          credentialId: seed.credentialId,
          now: at(100),
          decide: () => ({ backoffUntil: at(130), lock: false }),
        });
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 0, now: at(120) }),
          false,
        );
        assert.equal((await read(seed.userId)).lastUsedStep, 100);
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 1, now: at(131) }),
          true,
        );
        const record = await read(seed.userId);
        assert.equal(record.lastUsedStep, 101);
        assert.equal(record.backoffUntil, null);
        assert.equal(record.failureCount, 0);
      });

      it('S16: refuses when a failure was recorded after the caller read the counter', async function () {
        const seed = await seedActive({ step: 100 });
        await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: NO_THROTTLE });
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 0, now: at(100) }),
          false,
        );
        const record = await read(seed.userId);
        assert.equal(record.lastUsedStep, 100);
        assert.equal(record.failureCount, 1);
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 1, now: at(100) }),
          true,
        );
      });

      it('refuses an unknown credential id', async function () {
        assert.equal(
          await store().useStep({ credentialId: randomUUID(), step: 1, expectedFailureCount: 0, now: at(0) }),
          false,
        );
      });

      it(`S12: accepts one step exactly once under ${parallelism} parallel calls`, async function () {
        const seed = await seedActive({ step: 100 });
        const results = await Promise.all(
          Array.from({ length: parallelism }, () =>
            store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 0, now: at(100) }),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal((await read(seed.userId)).lastUsedStep, 101);
      });

      it(`S12: ends at the highest step when ${parallelism} different steps race`, async function () {
        const seed = await seedActive({ step: 100 });
        const steps = Array.from({ length: parallelism }, (_, i) => 101 + i);
        const results = await Promise.all(
          steps.map((step) =>
            store().useStep({ credentialId: seed.credentialId, step, expectedFailureCount: 0, now: at(100) }),
          ),
        );
        assert.ok(results.filter(Boolean).length >= 1);
        assert.equal((await read(seed.userId)).lastUsedStep, steps[steps.length - 1]);
      });
    });

    describe('listUnusedBackupCodeHashes', function () {
      it('is empty for an unknown or pending credential', async function () {
        const seed = await seedPending();
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), []);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(randomUUID()), []);
      });

      it('lists only unused codes, and only the credential’s own', async function () {
        const a = await seedActive({ codes: 3 });
        const b = await seedActive({ codes: 2 });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: a.credentialId,
            hash: a.hashes[1],
            expectedFailureCount: 0,
            now: at(100),
          }),
          true,
        );
        assert.deepEqual(
          sorted(await store().listUnusedBackupCodeHashes(a.credentialId)),
          sorted([a.hashes[0], a.hashes[2]]),
        );
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(b.credentialId)), sorted(b.hashes));
      });
    });

    describe('consumeBackupCode', function () {
      it('consumes a code once and clears failures (S19)', async function () {
        const seed = await seedActive({ codes: 2 });
        await store().recordFailure({
          credentialId: seed.credentialId,
          now: at(100),
          decide: () => ({ backoffUntil: at(101), lock: false }),
        });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 1,
            now: at(102),
          }),
          true,
        );
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(103),
          }),
          false,
        );
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), [seed.hashes[1]]);
        const record = await read(seed.userId);
        assert.equal(record.failureCount, 0);
        assert.equal(record.backoffUntil, null);
      });

      it('refuses an unknown hash or another credential’s hash, changing nothing', async function () {
        const a = await seedActive({ codes: 2 });
        const b = await seedActive({ codes: 1 });
        await store().recordFailure({ credentialId: a.credentialId, now: at(100), decide: NO_THROTTLE });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: a.credentialId,
            hash: fakeHash(),
            expectedFailureCount: 1,
            now: at(101),
          }),
          false,
        );
        assert.equal(
          await store().consumeBackupCode({
            credentialId: a.credentialId,
            hash: b.hashes[0],
            expectedFailureCount: 1,
            now: at(101),
          }),
          false,
        );
        assert.equal((await read(a.userId)).failureCount, 1);
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(a.credentialId)), sorted(a.hashes));
        assert.deepEqual(await store().listUnusedBackupCodeHashes(b.credentialId), b.hashes);
      });

      it('with replaceWith, replaces every code of the credential in the same step', async function () {
        const seed = await seedActive({ codes: 3 });
        const fresh = fakeHashes(2);
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            replaceWith: fresh,
            expectedFailureCount: 0,
            now: at(100),
          }),
          true,
        );
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(fresh));
        for (const old of seed.hashes) {
          assert.equal(
            await store().consumeBackupCode({
              credentialId: seed.credentialId,
              hash: old,
              expectedFailureCount: 0,
              now: at(101),
            }),
            false,
          );
        }
        assert.equal((await read(seed.userId)).state, 'active');
      });

      it('with replaceWith, applies nothing when the code was already used', async function () {
        const seed = await seedActive({ codes: 2 });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(100),
          }),
          true,
        );
        const fresh = fakeHashes(1);
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            replaceWith: fresh,
            expectedFailureCount: 0,
            now: at(101),
          }),
          false,
        );
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), [seed.hashes[1]]);
      });

      it('refuses while locked, changing nothing, and works again after resetFailures (S16)', async function () {
        const seed = await seedActive({ codes: 2 });
        await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: LOCK_NOW });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            replaceWith: fakeHashes(1),
            expectedFailureCount: 0,
            now: at(200),
          }),
          false,
        );
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
        const record = await read(seed.userId);
        assert.equal(record.failureCount, 1);
        assertDateNear(record.lockedAt, at(100), 'lockedAt');
        assert.equal(await store().resetFailures(seed.credentialId, at(300)), true);
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(301),
          }),
          true,
        );
      });

      it('refuses during backoff and accepts once it has passed (S16)', async function () {
        const seed = await seedActive({ codes: 2 });
        await store().recordFailure({
          credentialId: seed.credentialId,
          now: at(100),
          decide: () => ({ backoffUntil: at(130), lock: false }),
        });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(120),
          }),
          false,
        );
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
        assert.equal((await read(seed.userId)).failureCount, 1);
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 1,
            now: at(131),
          }),
          true,
        );
      });

      it('S16: refuses when a failure was recorded after the caller read the counter', async function () {
        const seed = await seedActive({ codes: 2 });
        await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: NO_THROTTLE });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(100),
          }),
          false,
        );
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 1,
            now: at(100),
          }),
          true,
        );
      });

      it(`S19: consumes one code exactly once under ${parallelism} parallel calls`, async function () {
        const seed = await seedActive({ codes: 2 });
        const results = await Promise.all(
          Array.from({ length: parallelism }, () =>
            store().consumeBackupCode({
              credentialId: seed.credentialId,
              hash: seed.hashes[0],
              expectedFailureCount: 0,
              now: at(100),
            }),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), [seed.hashes[1]]);
      });

      it(`S19: issues exactly one new set when ${parallelism} parallel calls use the last code`, async function () {
        const seed = await seedActive({ codes: 1 });
        const sets = Array.from({ length: parallelism }, () => fakeHashes(1));
        const results = await Promise.all(
          sets.map((replaceWith) =>
            store().consumeBackupCode({
              credentialId: seed.credentialId,
              hash: seed.hashes[0],
              replaceWith,
              expectedFailureCount: 0,
              now: at(100),
            }),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), sets[results.indexOf(true)]);
      });
    });

    describe('replaceBackupCodes', function () {
      it('deletes every old code, used or not, and stores the new ones', async function () {
        const seed = await seedActive({ codes: 3 });
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(100),
          }),
          true,
        );
        const fresh = fakeHashes(4);
        assert.equal(
          await store().replaceBackupCodes({ credentialId: seed.credentialId, hashes: fresh, now: at(110) }),
          true,
        );
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(fresh));
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[1],
            expectedFailureCount: 0,
            now: at(111),
          }),
          false,
        );
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: fresh[0],
            expectedFailureCount: 0,
            now: at(111),
          }),
          true,
        );
      });

      it('leaves other credentials’ codes alone', async function () {
        const a = await seedActive({ codes: 2 });
        const b = await seedActive({ codes: 2 });
        await store().replaceBackupCodes({ credentialId: a.credentialId, hashes: fakeHashes(1), now: at(100) });
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(b.credentialId)), sorted(b.hashes));
      });

      it('answers false and stores nothing for an unknown credential id', async function () {
        const credentialId = randomUUID();
        assert.equal(await store().replaceBackupCodes({ credentialId, hashes: fakeHashes(2), now: at(100) }), false);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(credentialId), []);
      });

      it('answers false and stores nothing once the credential was deleted (2FA turned off meanwhile)', async function () {
        const seed = await seedActive({ codes: 2 });
        assert.equal(await store().deleteByUserId(seed.userId), true);
        assert.equal(
          await store().replaceBackupCodes({ credentialId: seed.credentialId, hashes: fakeHashes(2), now: at(100) }),
          false,
        );
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), []);
        assert.equal(await store().findByUserId(seed.userId), null);
      });

      it('answers false and stores nothing for a pending credential', async function () {
        const seed = await seedPending();
        assert.equal(
          await store().replaceBackupCodes({ credentialId: seed.credentialId, hashes: fakeHashes(2), now: at(100) }),
          false,
        );
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), []);
        const record = await read(seed.userId);
        assert.equal(record.state, 'pending');
        assertDateNear(record.updatedAt, at(0), 'updatedAt');
      });
    });

    describe('recordFailure', function () {
      /** recordFailure on a credential that exists, which must answer its state. */
      async function countFailure(input: RecordFailureInput): Promise<FailureState> {
        const state = await store().recordFailure(input);
        assert.ok(state, 'recordFailure of an existing credential must return its state, not null');
        return state;
      }

      it('increments the counter and passes the new count to decide', async function () {
        const seed = await seedActive();
        const seen: number[] = [];
        const decide = (count: number): ThrottleDecision => {
          seen.push(count);
          return { backoffUntil: null, lock: false };
        };
        const states = [];
        for (let i = 0; i < 3; i++)
          states.push(await countFailure({ credentialId: seed.credentialId, now: at(100 + i), decide }));
        assert.deepEqual(
          states.map((s) => s.failureCount),
          [1, 2, 3],
        );
        assert.deepEqual(seen, [1, 2, 3]);
        assert.equal((await read(seed.userId)).failureCount, 3);
      });

      it('sets backoffUntil from decide, and clears it when decide says none', async function () {
        const seed = await seedActive();
        const first = await countFailure({
          credentialId: seed.credentialId,
          now: at(100),
          decide: () => ({ backoffUntil: at(160), lock: false }),
        });
        assertDateNear(first.backoffUntil, at(160), 'returned backoffUntil');
        assertDateNear((await read(seed.userId)).backoffUntil, at(160), 'stored backoffUntil');
        const second = await countFailure({
          credentialId: seed.credentialId,
          now: at(200),
          decide: NO_THROTTLE,
        });
        assert.equal(second.backoffUntil, null);
        assert.equal((await read(seed.userId)).backoffUntil, null);
      });

      it('sets lockedAt when decide locks, once: later failures keep the first time (S16)', async function () {
        const seed = await seedActive();
        const locked = await countFailure({ credentialId: seed.credentialId, now: at(100), decide: LOCK_NOW });
        assertDateNear(locked.lockedAt, at(100), 'returned lockedAt');
        const later = await countFailure({ credentialId: seed.credentialId, now: at(5000), decide: LOCK_NOW });
        assert.equal(later.failureCount, 2);
        assertDateNear(later.lockedAt, at(100), 'lockedAt after a later failure');
        const record = await read(seed.userId);
        assertDateNear(record.lockedAt, at(100), 'stored lockedAt');
        assert.equal(record.failureCount, 2);
      });

      it('does not lock when decide does not', async function () {
        const seed = await seedActive();
        const state = await countFailure({
          credentialId: seed.credentialId,
          now: at(100),
          decide: NO_THROTTLE,
        });
        assert.equal(state.lockedAt, null);
        assert.equal((await read(seed.userId)).lockedAt, null);
      });

      it('leaves lastUsedStep and the backup codes alone', async function () {
        const seed = await seedActive({ step: 77, codes: 2 });
        await countFailure({ credentialId: seed.credentialId, now: at(100), decide: LOCK_NOW });
        assert.equal((await read(seed.userId)).lastUsedStep, 77);
        assert.deepEqual(sorted(await store().listUnusedBackupCodeHashes(seed.credentialId)), sorted(seed.hashes));
      });

      it('answers null for an unknown credential id, without calling decide', async function () {
        const decided: number[] = [];
        const state = await store().recordFailure({
          credentialId: randomUUID(),
          now: at(100),
          decide: (count) => {
            decided.push(count);
            return { backoffUntil: null, lock: true };
          },
        });
        assert.equal(state, null);
        assert.deepEqual(decided, []);
      });

      it('answers null and changes nothing once the credential was deleted', async function () {
        const seed = await seedActive();
        assert.equal(await store().deleteByUserId(seed.userId), true);
        assert.equal(
          await store().recordFailure({ credentialId: seed.credentialId, now: at(100), decide: LOCK_NOW }),
          null,
        );
        assert.equal(await store().findByUserId(seed.userId), null);
      });

      it('answers null for a pending credential that a restarted enrollment replaced, leaving the new one at 0', async function () {
        const first = await seedPending();
        const secondId = randomUUID();
        assert.equal(
          await store().savePending({
            id: secondId,
            userId: first.userId,
            encryptedSecret: fakeEnvelope(),
            keyId: 'k1',
            pendingExpiresAt: at(600),
            now: at(5),
          }),
          true,
        );
        assert.equal(
          await store().recordFailure({ credentialId: first.credentialId, now: at(10), decide: LOCK_NOW }),
          null,
        );
        const record = await read(first.userId);
        assert.equal(record.id, secondId);
        assert.equal(record.failureCount, 0);
        assert.equal(record.lockedAt, null);
      });

      it(`S16: loses no increment under ${parallelism} parallel calls`, async function () {
        const seed = await seedActive();
        const lockAt = Math.ceil(parallelism / 2);
        const states = await Promise.all(
          Array.from({ length: parallelism }, () =>
            countFailure({
              credentialId: seed.credentialId,
              now: at(100),
              decide: (count) => ({ backoffUntil: null, lock: count >= lockAt }),
            }),
          ),
        );
        const record = await read(seed.userId);
        assert.equal(record.failureCount, parallelism);
        assert.equal(Math.max(...states.map((s) => s.failureCount)), parallelism);
        for (const state of states)
          assert.ok(
            state.failureCount >= 1 && state.failureCount <= parallelism,
            `count ${state.failureCount} out of range`,
          );
        assertDateNear(record.lockedAt, at(100), 'lockedAt');
      });
    });

    describeChargedAttempts({ store, seedActive, seedPending, read, at, parallelism });
    describeEnrollmentDeadlines({ store, at, assertDateNear, parallelism });
    describeServiceOutcomes({ store, read, at });
    describeTrustedDevices({ store, seedActive, seedPending, read, at, parallelism });

    describe('resetFailures', function () {
      it('clears the counter, the backoff and the lock, and the credential works again', async function () {
        const seed = await seedActive({ step: 100 });
        await store().recordFailure({
          credentialId: seed.credentialId,
          now: at(100),
          decide: () => ({ backoffUntil: at(1000), lock: true }),
        });
        assert.equal(await store().resetFailures(seed.credentialId, at(200)), true);
        const record = await read(seed.userId);
        assert.equal(record.failureCount, 0);
        assert.equal(record.backoffUntil, null);
        assert.equal(record.lockedAt, null);
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 101, expectedFailureCount: 0, now: at(201) }),
          true,
        );
      });

      it('answers false for an unknown credential', async function () {
        assert.equal(await store().resetFailures(randomUUID(), at(0)), false);
      });
    });

    describe('updateSecret', function () {
      it('replaces the ciphertext and key id when the expected ciphertext is current', async function () {
        const seed = await seedActive();
        const next = fakeEnvelope('k2');
        assert.equal(
          await store().updateSecret({
            credentialId: seed.credentialId,
            expectedEncryptedSecret: seed.encryptedSecret,
            encryptedSecret: next,
            keyId: 'k2',
            now: at(100),
          }),
          true,
        );
        const record = await read(seed.userId);
        assert.equal(record.encryptedSecret, next);
        assert.equal(record.keyId, 'k2');
        assert.equal(record.state, 'active');
      });

      it('refuses, changing nothing, when the ciphertext changed meanwhile', async function () {
        const seed = await seedActive();
        const stale = fakeEnvelope();
        assert.equal(
          await store().updateSecret({
            credentialId: seed.credentialId,
            expectedEncryptedSecret: stale,
            encryptedSecret: fakeEnvelope('k2'),
            keyId: 'k2',
            now: at(100),
          }),
          false,
        );
        const record = await read(seed.userId);
        assert.equal(record.encryptedSecret, seed.encryptedSecret);
        assert.equal(record.keyId, 'k1');
      });

      it('applies once when two rotations race on the same ciphertext', async function () {
        const seed = await seedActive();
        const candidates = Array.from({ length: parallelism }, () => fakeEnvelope('k2'));
        const results = await Promise.all(
          candidates.map((encryptedSecret) =>
            store().updateSecret({
              credentialId: seed.credentialId,
              expectedEncryptedSecret: seed.encryptedSecret,
              encryptedSecret,
              keyId: 'k2',
              now: at(100),
            }),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal((await read(seed.userId)).encryptedSecret, candidates[results.indexOf(true)]);
      });
    });

    describe('deleteByUserId', function () {
      it('deletes the credential and its backup codes', async function () {
        const seed = await seedActive({ codes: 2 });
        assert.equal(await store().deleteByUserId(seed.userId), true);
        assert.equal(await store().findByUserId(seed.userId), null);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(seed.credentialId), []);
        assert.equal(
          await store().consumeBackupCode({
            credentialId: seed.credentialId,
            hash: seed.hashes[0],
            expectedFailureCount: 0,
            now: at(100),
          }),
          false,
        );
        assert.equal(
          await store().useStep({ credentialId: seed.credentialId, step: 1000, expectedFailureCount: 0, now: at(100) }),
          false,
        );
      });

      it('answers false when there is nothing to delete', async function () {
        const seed = await seedActive();
        assert.equal(await store().deleteByUserId(seed.userId), true);
        assert.equal(await store().deleteByUserId(seed.userId), false);
        assert.equal(await store().deleteByUserId(`user-${randomUUID()}`), false);
      });

      it('deletes a pending credential too', async function () {
        const seed = await seedPending();
        assert.equal(await store().deleteByUserId(seed.userId), true);
        assert.equal(await store().findByUserId(seed.userId), null);
      });

      it('leaves other users alone, and the user can enroll again', async function () {
        const a = await seedActive({ codes: 1 });
        const b = await seedActive({ codes: 1 });
        await store().deleteByUserId(a.userId);
        assert.equal((await read(b.userId)).id, b.credentialId);
        assert.deepEqual(await store().listUnusedBackupCodeHashes(b.credentialId), b.hashes);
        const saved = await store().savePending({
          id: randomUUID(),
          userId: a.userId,
          encryptedSecret: fakeEnvelope(),
          keyId: 'k1',
          pendingExpiresAt: at(900),
          now: at(300),
        });
        assert.equal(saved, true);
        assert.equal((await read(a.userId)).state, 'pending');
      });
    });
  });
}
