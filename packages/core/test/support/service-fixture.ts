/**
 * Shared set-up for the service tests: a service over the memory store with a fake clock, an
 * event log, and helpers that act as the user's authenticator app.
 */
import { randomBytes } from 'node:crypto';
import { FakeClock } from '@secondfactor/test-utils';
import {
  base32Decode,
  generateTotp,
  Keyring,
  MemoryTwoFactorStore,
  TwoFactorService,
  type TwoFactorEvent,
  type TwoFactorServiceOptions,
} from '../../src';

export const PASSWORD = 'correct horse battery staple';
export const ISSUER = 'Acme Billing';

export function randomKeyring(keyId = 'k1'): Keyring {
  return Keyring.parse(`${keyId}:${randomBytes(32).toString('base64')}`);
}

export interface ServiceFixture {
  service: TwoFactorService;
  store: MemoryTwoFactorStore;
  clock: FakeClock;
  events: TwoFactorEvent[];
  keyring: Keyring;
}

/** Users whose id starts with `sub-` are sub-accounts: not eligible (S9). */
export function makeService(overrides: Partial<TwoFactorServiceOptions> = {}): ServiceFixture {
  const clock = new FakeClock();
  const store = new MemoryTwoFactorStore({ quiet: true });
  const events: TwoFactorEvent[] = [];
  const keyring = randomKeyring();
  const service = new TwoFactorService({
    store,
    keyring,
    issuer: ISSUER,
    verifyPassword: async (_userId, password) => password === PASSWORD,
    isEligible: (userId) => !userId.startsWith('sub-'),
    clock: clock.clock,
    // A quarter of the default cost keeps the suite fast; backup-codes.security.test.ts covers the defaults.
    scrypt: { log2N: 12 },
    onEvent: (event) => {
      events.push(event);
    },
    ...overrides,
  });
  return { service, store, clock, events, keyring };
}

/** The code an authenticator app shows at the fixture's current time, `offsetSteps` steps away. */
export function codeAt(secret: Buffer, clock: FakeClock, offsetSteps = 0): string {
  return generateTotp({ secret, timeMs: clock.nowMs() + offsetSteps * 30_000 });
}

/** A well-formed code that is valid nowhere in a ±`span` step window around now. */
export function wrongCode(secret: Buffer, clock: FakeClock, span = 3): string {
  const valid = new Set(Array.from({ length: 2 * span + 1 }, (_, i) => codeAt(secret, clock, i - span)));
  for (let n = 0; ; n++) {
    const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

export interface Enrolled {
  userId: string;
  secret: Buffer;
  backupCodes: string[];
  otpauthUrl: string;
  secretBase32: string;
}

/**
 * Enrolls a user through the service, as the setup pages do, then moves the clock to the next
 * step so that the user's next code is not the (consumed) confirming one.
 */
export async function enroll(fixture: ServiceFixture, userId: string): Promise<Enrolled> {
  const start = await fixture.service.beginEnrollment({ userId, accountName: `${userId}@example.com` });
  if (!start.ok) throw start.error;
  const secret = base32Decode(start.secret);
  if (!secret) throw new Error('beginEnrollment returned a secret that is not base32');
  const confirmed = await fixture.service.confirmEnrollment({ userId, code: codeAt(secret, fixture.clock) });
  if (!confirmed.ok) throw confirmed.error;
  fixture.clock.advance({ seconds: 30 });
  return {
    userId,
    secret,
    backupCodes: confirmed.backupCodes,
    otpauthUrl: start.otpauthUrl,
    secretBase32: start.secret,
  };
}

/** Narrows an outcome to its failure for assertions, failing the test if it succeeded. */
export function failure<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: false }> {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<T, { ok: false }>;
}

/** Narrows an outcome to its success, failing the test with the error otherwise. */
export function success<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok)
    throw new Error(
      `expected a success, got ${JSON.stringify(outcome, (k, v) => (k === 'error' ? { code: v.code, message: v.message } : v))}`,
    );
  return outcome as Extract<T, { ok: true }>;
}
