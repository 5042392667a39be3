/**
 * The password throttle conformance suite (S32): every `PasswordThrottleStore` (memory, TypeORM on
 * SQLite, MariaDB and PostgreSQL, any future adapter) runs these same mocha tests through a real
 * `PasswordThrottle` with a fake clock, so the throttle can rely on one written contract
 * (docs/architecture.md#password-throttle-store). Each test uses fresh random emails and addresses,
 * so a store over a shared database needs no cleaning between tests.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import {
  PasswordThrottle,
  passwordThrottleAccountKey,
  type PasswordAccountClaim,
  type PasswordAccountDecision,
  type PasswordThrottlePolicy,
  type PasswordThrottleStore,
} from '@secondfactor/core';
import { FakeClock } from './fake-clock';

/** What the suite's factory returns: a ready store and, optionally, how to release it. */
export interface PasswordThrottleStoreHandle {
  store: PasswordThrottleStore;
  /** Closes connections, drops scratch databases. Called once after the suite. */
  teardown?: () => Promise<void>;
}

/** Options for {@link runPasswordThrottleConformanceSuite}. */
export interface PasswordThrottleConformanceOptions {
  /** Parallel calls in each concurrency test. Default 20. */
  parallelism?: number;
}

const DAY_SECONDS = 86_400;

function anEmail(): string {
  return `user-${randomUUID()}@example.com`;
}

/** A random documentation-range IPv6 address, so parallel runs on one database never share a bucket. */
function anAddress(): string {
  return `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
}

function granted(decision: PasswordAccountDecision): PasswordAccountClaim {
  assert.ok(decision.ok, `expected a go-ahead, got a wait of ${decision.ok ? 0 : decision.retryAfterSeconds} s`);
  return decision;
}

/**
 * Registers a mocha `describe` block that checks the `PasswordThrottleStore` contract through
 * `PasswordThrottle`: the backoff and window arithmetic, and the atomicity of every primitive
 * under parallel calls. Uses mocha's globals.
 */
export function runPasswordThrottleConformanceSuite(
  name: string,
  makeStore: () => Promise<PasswordThrottleStoreHandle>,
  options: PasswordThrottleConformanceOptions = {},
): void {
  const parallelism = options.parallelism ?? 20;

  describe(`PasswordThrottleStore conformance: ${name}`, function () {
    let handle: PasswordThrottleStoreHandle | undefined;
    let clock: FakeClock;

    function store(): PasswordThrottleStore {
      if (!handle) throw new Error('The store factory did not run (see the before hook failure).');
      return handle.store;
    }

    function throttle(policy: Partial<PasswordThrottlePolicy> = {}): PasswordThrottle {
      return new PasswordThrottle(store(), { policy, clock: clock.clock });
    }

    async function fail(subject: PasswordThrottle, email: string, times: number): Promise<number[]> {
      const waits: number[] = [];
      for (let n = 0; n < times; n++) waits.push(await subject.failed(granted(await subject.claimAccount(email))));
      return waits;
    }

    before(async function () {
      handle = await makeStore();
    });

    after(async function () {
      if (handle?.teardown) await handle.teardown();
    });

    beforeEach(function () {
      clock = new FakeClock();
    });

    describe('the account backoff', function () {
      it('S32: five wrong passwords are free, then the right one too is refused with the wait until it passes', async function () {
        const subject = throttle();
        const email = anEmail();
        assert.deepEqual(await fail(subject, email, 5), [0, 0, 0, 0, 60]);
        assert.deepEqual(await subject.claimAccount(email), { ok: false, retryAfterSeconds: 60 });
        clock.advance({ seconds: 59 });
        assert.deepEqual(await subject.claimAccount(email), { ok: false, retryAfterSeconds: 1 });
        clock.advance({ seconds: 1 });
        const claim = granted(await subject.claimAccount(email));
        assert.equal(claim.failuresRead, 5);
        assert.equal(await subject.succeeded(claim), true);
        assert.equal((await store().readAccount(claim.key))?.failures ?? 0, 0);
        assert.equal(granted(await subject.claimAccount(email)).failuresRead, 0);
      });

      it('S32: each further failure doubles the wait up to one hour, and the account is never locked', async function () {
        const subject = throttle();
        const email = anEmail();
        await fail(subject, email, 4);
        const waits: number[] = [];
        for (let n = 0; n < 9; n++) {
          const claim = granted(await subject.claimAccount(email));
          const wait = await subject.failed(claim);
          waits.push(wait);
          assert.deepEqual(await subject.claimAccount(email), { ok: false, retryAfterSeconds: wait });
          clock.advance({ seconds: wait });
        }
        assert.deepEqual(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert.equal(await subject.succeeded(granted(await subject.claimAccount(email))), true);
      });

      it('S32: an attacker guessing one account as fast as allowed gets exactly 33 wrong passwords in 24 hours', async function () {
        const subject = throttle();
        const email = anEmail();
        const end = clock.nowMs() + DAY_SECONDS * 1000;
        let guesses = 0;
        while (clock.nowMs() < end) {
          const decision = await subject.claimAccount(email);
          if (!decision.ok) {
            clock.advance({ seconds: decision.retryAfterSeconds });
            continue;
          }
          guesses++;
          await subject.failed(decision);
        }
        assert.equal(guesses, 33);
      });

      it('S32: the policy is the throttle’s: two free failures and a 10 s base', async function () {
        const subject = throttle({ freeFailures: 2, baseDelaySeconds: 10, maxDelaySeconds: 15 });
        const email = anEmail();
        assert.deepEqual(await fail(subject, email, 2), [0, 10]);
        clock.advance({ seconds: 10 });
        assert.deepEqual(await fail(subject, email, 1), [15]);
      });

      it('S32: the account key is a hash of the normalised email, and other accounts are untouched', async function () {
        const subject = throttle();
        const email = anEmail();
        await fail(subject, email.toUpperCase(), 5);
        assert.equal((await subject.claimAccount(` ${email} `)).ok, false);
        const key = passwordThrottleAccountKey(email);
        assert.ok(!key.includes('@') && !key.includes('example'));
        assert.equal((await store().readAccount(key))?.failures, 5);
        assert.equal((await subject.claimAccount(anEmail())).ok, true);
        assert.equal(await store().readAccount(passwordThrottleAccountKey(anEmail())), null);
      });
    });

    describe('parallel attempts on one account', function () {
      it(`S32: ${parallelism} parallel wrong passwords count ${parallelism}, and the next claim waits the matching backoff`, async function () {
        const subject = throttle();
        const email = anEmail();
        const claims = await Promise.all(
          Array.from({ length: parallelism }, () => subject.claimAccount(email).then(granted)),
        );
        assert.ok(claims.every((claim) => claim.failuresRead === 0));
        await Promise.all(claims.map((claim) => subject.failed(claim)));
        assert.equal((await store().readAccount(claims[0].key))?.failures, parallelism);
        const wait = Math.min(60 * 2 ** (parallelism - 5), 3600);
        assert.deepEqual(await subject.claimAccount(email), { ok: false, retryAfterSeconds: wait });
      });

      it('S32: a correct password whose claim read the count before failures were recorded is void', async function () {
        const subject = throttle();
        const email = anEmail();
        const right = granted(await subject.claimAccount(email));
        const wrong = await Promise.all(
          Array.from({ length: parallelism - 1 }, () => subject.claimAccount(email).then(granted)),
        );
        await Promise.all(wrong.map((claim) => subject.failed(claim)));
        assert.equal(await subject.succeeded(right), false);
        assert.equal((await store().readAccount(right.key))?.failures, parallelism - 1);
      });

      it('S32: a correct password racing wrong ones never erases a failure counted after its read', async function () {
        const subject = throttle();
        const email = anEmail();
        await fail(subject, email, 3);
        const right = granted(await subject.claimAccount(email));
        const wrong = await Promise.all(
          Array.from({ length: parallelism - 1 }, () => subject.claimAccount(email).then(granted)),
        );
        const [success] = await Promise.all([subject.succeeded(right), ...wrong.map((claim) => subject.failed(claim))]);
        const failures = (await store().readAccount(right.key))?.failures;
        // Reset first, then every failure (19); or not reset at all (3 + 19).
        if (success) assert.equal(failures, parallelism - 1);
        else assert.ok(failures === parallelism - 1 || failures === parallelism + 2, `failures: ${failures}`);
      });

      it('S32: parallel correct passwords with no failure between them all succeed', async function () {
        const subject = throttle();
        const email = anEmail();
        await fail(subject, email, 2);
        const claims = await Promise.all(
          Array.from({ length: parallelism }, () => subject.claimAccount(email).then(granted)),
        );
        const results = await Promise.all(claims.map((claim) => subject.succeeded(claim)));
        assert.deepEqual(results, Array(parallelism).fill(true));
        assert.equal((await store().readAccount(claims[0].key))?.failures ?? 0, 0);
      });
    });

    describe('the address limit', function () {
      it('S32: 100 attempts per 10 minutes, then refused until the window ends; other addresses are free', async function () {
        const subject = throttle();
        const address = anAddress();
        for (let attempt = 0; attempt < 100; attempt++) assert.equal((await subject.claimAddress(address)).ok, true);
        assert.deepEqual(await subject.claimAddress(address), { ok: false, retryAfterSeconds: 600 });
        assert.equal((await subject.claimAddress(anAddress())).ok, true);
        clock.advance({ seconds: 400 });
        assert.deepEqual(await subject.claimAddress(address), { ok: false, retryAfterSeconds: 200 });
        clock.advance({ seconds: 200 });
        assert.equal((await subject.claimAddress(address)).ok, true);
        for (let attempt = 1; attempt < 100; attempt++) assert.equal((await subject.claimAddress(address)).ok, true);
        assert.equal((await subject.claimAddress(address)).ok, false);
      });

      it('S32: an address limit of 0 turns the limit off', async function () {
        const subject = throttle({ addressLimit: 0 });
        const address = anAddress();
        for (let attempt = 0; attempt < 150; attempt++) assert.equal((await subject.claimAddress(address)).ok, true);
      });

      it('S32: clients without an address share one bucket', async function () {
        const subject = throttle({ addressLimit: 2, addressWindowSeconds: 1 });
        clock.advance({ days: 1 + Math.floor(Math.random() * 1000) });
        const decisions = [];
        for (let attempt = 0; attempt < 3; attempt++) decisions.push((await subject.claimAddress(undefined)).ok);
        assert.deepEqual(decisions, [true, true, false]);
      });

      it(`S32: ${parallelism} parallel attempts against a limit of 5 count exactly 5`, async function () {
        const subject = throttle({ addressLimit: 5 });
        const address = anAddress();
        const decisions = await Promise.all(Array.from({ length: parallelism }, () => subject.claimAddress(address)));
        assert.equal(decisions.filter((decision) => decision.ok).length, 5);
      });

      it(`S32: ${parallelism} parallel attempts as a window ends restart it once and count exactly 5`, async function () {
        const subject = throttle({ addressLimit: 5 });
        const address = anAddress();
        for (let attempt = 0; attempt < 5; attempt++) await subject.claimAddress(address);
        clock.advance({ seconds: 600 });
        const decisions = await Promise.all(Array.from({ length: parallelism }, () => subject.claimAddress(address)));
        assert.equal(decisions.filter((decision) => decision.ok).length, 5);
        assert.ok(decisions.every((decision) => decision.ok || decision.retryAfterSeconds === 600));
      });
    });
  });
}
