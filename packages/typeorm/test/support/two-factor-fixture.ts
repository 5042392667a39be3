/** A real TwoFactorService over the TypeORM store, with a fake clock and helpers to enroll users. */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  base32Decode,
  generateTotp,
  Keyring,
  TwoFactorService,
  type TwoFactorServiceOptions,
  type TwoFactorStore,
} from '@secondfactor/core';
import { FakeClock } from '@secondfactor/test-utils';

/** A fixed key, so tests can build keyrings that rotate away from it. */
export const KEY_1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
/** A second key, for rotation. */
export const KEY_2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

/** A service and its clock. */
export interface ServiceFixture {
  service: TwoFactorService;
  clock: FakeClock;
}

/** A service over `store` with key k1, a fake clock and cheap scrypt (tests, not production). */
export function makeService(store: TwoFactorStore, options: Partial<TwoFactorServiceOptions> = {}): ServiceFixture {
  const clock = new FakeClock();
  const service = new TwoFactorService({
    store,
    keyring: Keyring.parse(KEY_1),
    issuer: 'Acme Billing',
    verifyPassword: (_userId, password) => password === 'correct horse',
    clock: clock.clock,
    scrypt: { log2N: 10 },
    ...options,
  });
  return { service, clock };
}

/** A user who has just turned 2FA on. */
export interface EnrolledUser {
  userId: string;
  /** The base32 secret the setup page showed. */
  secretBase32: string;
  secret: Buffer;
  backupCodes: string[];
}

/** Enrolls a new user and moves the clock to the next step, so a fresh code is usable. */
export async function enroll(fixture: ServiceFixture, userId = `user-${randomUUID()}`): Promise<EnrolledUser> {
  const start = await fixture.service.beginEnrollment({ userId, accountName: `${userId}@example.com` });
  if (!start.ok) throw start.error;
  const secret = base32Decode(start.secret);
  if (!secret) throw new Error('the service returned an invalid base32 secret');
  const confirmed = await fixture.service.confirmEnrollment({
    userId,
    code: generateTotp({ secret, timeMs: fixture.clock.nowMs() }),
  });
  if (!confirmed.ok) throw confirmed.error;
  fixture.clock.advance({ seconds: 30 });
  return { userId, secretBase32: start.secret, secret, backupCodes: confirmed.backupCodes };
}

/** The current TOTP code for `secret` at the fixture's clock. */
export function currentCode(fixture: ServiceFixture, secret: Buffer): string {
  return generateTotp({ secret, timeMs: fixture.clock.nowMs() });
}

/** A six-digit code that is not valid at the clock's time (nor in the default ±1 window). */
export function wrongCode(fixture: ServiceFixture, secret: Buffer): string {
  const valid = new Set(
    [-30_000, 0, 30_000].map((offset) => generateTotp({ secret, timeMs: fixture.clock.nowMs() + offset })),
  );
  for (;;) {
    const candidate = String(randomBytes(4).readUInt32BE() % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}
