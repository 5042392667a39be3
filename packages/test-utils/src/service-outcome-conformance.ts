/**
 * The conformance cases where the store's answer decides what the service answers: a bad user id
 * never reaches the store, and a credential that went away under a request (false or null from
 * the store) is a 409, never an `ok` with nothing stored. They run a real `TwoFactorService` over
 * the store under test. Part of {@link runStoreConformanceSuite}; not exported on its own.
 */
import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  base32Decode,
  generateTotp,
  Keyring,
  TwoFactorService,
  type CredentialRecord,
  type TwoFactorEvent,
  type TwoFactorOutcome,
  type TwoFactorStore,
} from '@secondfactor/core';

/** What the main suite lends these cases: its store, a read that must find a credential, its fixed clock. */
export interface ServiceOutcomeSuite {
  store(): TwoFactorStore;
  read(userId: string): Promise<CredentialRecord>;
  /** A fixed instant, `offsetSeconds` after the suite's base time. */
  at(offsetSeconds: number): Date;
}

const PASSWORD = 'correct horse battery staple';

/** A service over `store`, the events it emitted, and a user enrolled through it. */
interface Enrolled {
  service: TwoFactorService;
  events: TwoFactorEvent[];
  userId: string;
  secret: Buffer;
}

/** The store under test with one method wrapped, e.g. to let a parallel change land just before it. */
function withHook<K extends keyof TwoFactorStore>(
  store: TwoFactorStore,
  method: K,
  wrap: (original: TwoFactorStore[K]) => TwoFactorStore[K],
): TwoFactorStore {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === method) return wrap((value as (...args: never[]) => unknown).bind(target) as TwoFactorStore[K]);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function errorOf(outcome: TwoFactorOutcome): { status: number; code: string; reason: string } {
  assert.equal(outcome.ok, false, 'expected a refusal');
  if (outcome.ok) throw new Error('unreachable');
  return { status: outcome.error.status, code: outcome.error.code, reason: outcome.reason };
}

/**
 * Registers the service-outcome cases inside the main suite's `describe`.
 */
export function describeServiceOutcomes(suite: ServiceOutcomeSuite): void {
  const { store, read, at } = suite;
  const keyring = Keyring.parse(`k1:${randomBytes(32).toString('base64')}`);

  function serviceOver(target: TwoFactorStore, events: TwoFactorEvent[]): TwoFactorService {
    return new TwoFactorService({
      store: target,
      keyring,
      issuer: 'Conformance',
      clock: () => at(300),
      scrypt: { log2N: 4 },
      verifyPassword: async (_userId, password) => password === PASSWORD,
      onEvent: (event) => {
        events.push(event);
      },
    });
  }

  /** Enrolls a new user through a service over the plain store, as the setup pages do. */
  async function enroll(): Promise<Enrolled> {
    const events: TwoFactorEvent[] = [];
    const service = serviceOver(store(), events);
    const userId = `user-${randomUUID()}`;
    const start = await service.beginEnrollment({ userId, accountName: 'ada@example.com' });
    if (!start.ok) throw start.error;
    const secret = base32Decode(start.secret);
    assert.ok(secret, 'beginEnrollment returned a base32 secret');
    const confirmed = await service.confirmEnrollment({
      userId,
      code: generateTotp({ secret, timeMs: at(300).getTime() }),
    });
    if (!confirmed.ok) throw confirmed.error;
    return { service, events, userId, secret };
  }

  /** A well-formed code that is wrong at the suite's clock. */
  function wrongCode(secret: Buffer): string {
    const valid = new Set([-1, 0, 1].map((step) => generateTotp({ secret, timeMs: at(300 + 30 * step).getTime() })));
    for (let n = 0; ; n++) {
      const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, '0');
      if (!valid.has(candidate)) return candidate;
    }
  }

  describe('through TwoFactorService', function () {
    this.timeout(30_000);

    it('refuses an id with a space at its end with 400 TWO_FACTOR_INVALID_USER_ID, leaving the user without it alone', async function () {
      // On MySQL and MariaDB 'ada ' equals 'ada': the store would answer with the other user's row.
      const user = await enroll();
      const before = await read(user.userId);
      const events: TwoFactorEvent[] = [];
      const service = serviceOver(store(), events);
      const padded = `${user.userId} `;
      const outcomes = [
        await service.beginEnrollment({ userId: padded, accountName: 'mallory@example.com' }),
        await service.verifyCode({
          userId: padded,
          code: generateTotp({ secret: user.secret, timeMs: at(330).getTime() }),
        }),
        await service.disable({ userId: padded, password: PASSWORD }),
        await service.adminDisable({ userId: padded, actorId: 'support-1' }),
      ];
      for (const outcome of outcomes)
        assert.deepEqual(errorOf(outcome), {
          status: 400,
          code: 'TWO_FACTOR_INVALID_USER_ID',
          reason: 'invalid_user_id',
        });
      await assert.rejects(service.isEnabled(padded), { code: 'TWO_FACTOR_INVALID_USER_ID', status: 400 });
      await assert.rejects(service.status(padded), { code: 'TWO_FACTOR_INVALID_USER_ID', status: 400 });
      assert.deepEqual(events, []);
      assert.deepEqual(await read(user.userId), before);
      assert.equal(await service.isEnabled(user.userId), true);
    });

    it('refuses ids the store could not hold with 400 TWO_FACTOR_INVALID_USER_ID, and stores nothing', async function () {
      const events: TwoFactorEvent[] = [];
      const service = serviceOver(store(), events);
      const base = `user-${randomUUID()}`;
      for (const userId of ['', base.padEnd(256, 'x'), `${base}\u0000`, `${base}\n`, `${base}\ud800`]) {
        const outcome = await service.beginEnrollment({ userId, accountName: 'ada@example.com' });
        assert.deepEqual(errorOf(outcome), {
          status: 400,
          code: 'TWO_FACTOR_INVALID_USER_ID',
          reason: 'invalid_user_id',
        });
      }
      assert.deepEqual(events, []);
      assert.equal(await store().findByUserId(base), null);
      assert.equal(await store().findByUserId(base.padEnd(255, 'x')), null);
    });

    it('answers 409 TWO_FACTOR_ALREADY_ENABLED with the reason already_enabled, whether its read or savePending saw it', async function () {
      const user = await enroll();
      const before = await read(user.userId);
      const direct = await user.service.beginEnrollment({ userId: user.userId, accountName: 'ada@example.com' });
      assert.deepEqual(errorOf(direct), { status: 409, code: 'TWO_FACTOR_ALREADY_ENABLED', reason: 'already_enabled' });
      // A confirm that finished between the service's read and its write: only savePending can tell.
      const blind = withHook(store(), 'findByUserId', () => async () => null);
      const raced = await serviceOver(blind, []).beginEnrollment({
        userId: user.userId,
        accountName: 'ada@example.com',
      });
      assert.deepEqual(errorOf(raced), { status: 409, code: 'TWO_FACTOR_ALREADY_ENABLED', reason: 'already_enabled' });
      assert.deepEqual(await read(user.userId), before);
    });

    it('answers 409 TWO_FACTOR_NOT_ENABLED to new backup codes when 2FA was turned off after the password check, storing none', async function () {
      const user = await enroll();
      const credentialId = (await read(user.userId)).id;
      // Support turns 2FA off while the new codes are being hashed.
      const racing = withHook(store(), 'acceptChargedAttempt', (accept) => async (input) => {
        const accepted = await accept(input);
        await store().deleteByUserId(user.userId);
        return accepted;
      });
      const events: TwoFactorEvent[] = [];
      const outcome = await serviceOver(racing, events).regenerateBackupCodes({
        userId: user.userId,
        password: PASSWORD,
      });
      assert.deepEqual(errorOf(outcome), { status: 409, code: 'TWO_FACTOR_NOT_ENABLED', reason: 'not_enabled' });
      assert.deepEqual(await store().listUnusedBackupCodeHashes(credentialId), []);
      assert.equal(await store().findByUserId(user.userId), null);
      assert.deepEqual(
        events.filter((event) => event.type === 'backup_codes.regenerated'),
        [],
      );
    });

    it('answers 409 TWO_FACTOR_NOT_ENABLED to a wrong code whose credential was deleted since the read, counting nothing', async function () {
      const user = await enroll();
      const racing = withHook(store(), 'recordFailure', (record) => async (input) => {
        await store().deleteByUserId(user.userId);
        return record(input);
      });
      const events: TwoFactorEvent[] = [];
      const outcome = await serviceOver(racing, events).verifyCode({
        userId: user.userId,
        code: wrongCode(user.secret),
      });
      assert.deepEqual(errorOf(outcome), { status: 409, code: 'TWO_FACTOR_NOT_ENABLED', reason: 'not_enabled' });
      assert.deepEqual(
        events.map((event) => [event.type, event.reason, event.failureCount]),
        [['code.failed', 'not_enabled', undefined]],
      );
      assert.equal(await store().findByUserId(user.userId), null);
    });
  });
}
