/**
 * One self-contained world per test: a fake clock, a users table with a primary account and a
 * sub-account, and a TwoFactorService over an in-memory store that can be switched "down".
 */
import {
  base32Decode,
  generateTotp,
  Keyring,
  MemoryTwoFactorStore,
  StoreUnavailableError,
  TwoFactorService,
  type TwoFactorEvent,
  type TwoFactorServiceOptions,
  type TwoFactorStore,
} from '@secondfactor/core';
import { FakeClock } from '../fake-clock';

/** A row of the host's users table. */
export interface HostUser {
  id: string;
  email: string;
  password: string;
  /** Sub-accounts may not use 2FA (S9). */
  subAccount: boolean;
}

export interface World {
  clock: FakeClock;
  users: Map<string, HostUser>;
  service: TwoFactorService;
  events: TwoFactorEvent[];
  /** While true, every store call throws StoreUnavailableError (a database outage). */
  storeDown: boolean;
  /** The secret each user enrolled with, as the authenticator app would hold it. */
  secrets: Map<string, string>;
  /** Enrolls a user directly through the service and moves past the confirming step. */
  enroll(userId: string): Promise<{ secret: string; backupCodes: string[] }>;
  /** The code the user's authenticator shows now. */
  codeFor(userId: string, secret?: string): string;
  /** A well-formed code that is not the user's in any accepted step. */
  wrongCodeFor(userId: string): string;
}

const KEY = Buffer.alloc(32, 7).toString('base64');

export const ADA: HostUser = { id: 'u-ada', email: 'ada@example.com', password: 'ada-password', subAccount: false };
export const BOB: HostUser = { id: 'u-bob', email: 'bob@example.com', password: 'bob-password', subAccount: false };
export const SUB: HostUser = { id: 'u-sub', email: 'sub@example.com', password: 'sub-password', subAccount: true };

export function createWorld(serviceOverrides: Partial<TwoFactorServiceOptions> = {}): World {
  // Inside a 30 s step, so "now" never sits on a boundary.
  const clock = new FakeClock('2030-01-01T00:00:10Z');
  const users = new Map([ADA, BOB, SUB].map((user) => [user.id, { ...user }]));
  const events: TwoFactorEvent[] = [];
  const secrets = new Map<string, string>();
  const memory = new MemoryTwoFactorStore({ quiet: true });
  const world = { storeDown: false } as World;
  const store = new Proxy(memory, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        world.storeDown
          ? Promise.reject(new StoreUnavailableError())
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  }) as TwoFactorStore;
  const service = new TwoFactorService({
    store,
    keyring: Keyring.parse(`k1:${KEY}`),
    issuer: 'Acme Billing',
    verifyPassword: (userId, password) => users.get(userId)?.password === password,
    isEligible: (userId) => users.get(userId)?.subAccount !== true,
    clock: clock.clock,
    scrypt: { log2N: 10 },
    onEvent: (event) => {
      events.push(event);
    },
    ...serviceOverrides,
  });
  const codeFor = (userId: string, secret = secrets.get(userId)): string => {
    if (!secret) throw new Error(`${userId} has no secret`);
    return generateTotp({ secret: base32Decode(secret)!, timeMs: clock.nowMs() });
  };
  return Object.assign(world, {
    clock,
    users,
    service,
    events,
    secrets,
    async enroll(userId: string) {
      const start = await service.beginEnrollment({ userId, accountName: users.get(userId)!.email });
      if (!start.ok) throw start.error;
      secrets.set(userId, start.secret);
      const confirmed = await service.confirmEnrollment({ userId, code: codeFor(userId) });
      if (!confirmed.ok) throw confirmed.error;
      clock.advance({ seconds: 30 });
      return { secret: start.secret, backupCodes: confirmed.backupCodes };
    },
    codeFor,
    wrongCodeFor(userId: string) {
      const now = clock.nowMs();
      const secret = base32Decode(secrets.get(userId)!)!;
      const accepted = new Set([-1, 0, 1].map((offset) => generateTotp({ secret, timeMs: now + offset * 30_000 })));
      for (let candidate = 0; ; candidate += 1) {
        const code = String(candidate).padStart(6, '0');
        if (!accepted.has(code)) return code;
      }
    },
  });
}
