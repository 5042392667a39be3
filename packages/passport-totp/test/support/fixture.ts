/**
 * One self-contained world per test: a fake clock, a user table, a TwoFactorService over an
 * in-memory store that can be switched "down", and helpers that compute what an authenticator
 * app would show.
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

/** A row of the host's users table. `passwordHash` stands in for a real hash: it changes with the password. */
export interface TestUser {
  id: string;
  username: string;
  password: string;
  passwordHash: string;
}

/** What the apps put into the session and answer as "the user". */
export interface PublicUser {
  id: string;
  username: string;
}

export interface Fixture {
  /** Milliseconds since the epoch, as the service and the strategy see it. */
  now: number;
  readonly clock: () => Date;
  advanceSeconds(seconds: number): void;
  readonly users: Map<string, TestUser>;
  readonly service: TwoFactorService;
  /** What `service` was built with, to build a variant over the same store. */
  readonly serviceOptions: TwoFactorServiceOptions;
  readonly events: TwoFactorEvent[];
  /** While true, every store call throws StoreUnavailableError (a database outage). */
  storeDown: boolean;
  findByUsername(username: string): TestUser | undefined;
  publicUser(id: string): PublicUser | null;
  changePassword(id: string, password: string): void;
  /** Enrolls the user and moves the clock one step on, so the confirming step is behind us. */
  enroll(userId: string): Promise<{ secret: string; backupCodes: string[] }>;
  /** The code the user's authenticator shows now (or `offsetSteps` steps from now). */
  codeFor(userId: string, offsetSteps?: number): string;
  /** A well-formed code that is not the user's code in any accepted step. */
  wrongCodeFor(userId: string): string;
}

const KEY = Buffer.alloc(32, 9).toString('base64');
// 2030-01-01T00:00:10Z: inside a 30 s step, so "now" never sits on a boundary.
const START = Date.UTC(2030, 0, 1, 0, 0, 10);

export function createFixture(): Fixture {
  const users = new Map<string, TestUser>();
  const secrets = new Map<string, string>();
  const events: TwoFactorEvent[] = [];
  const memory = new MemoryTwoFactorStore({ quiet: true });
  const fixture = {
    now: START,
    storeDown: false,
  } as Fixture;
  const store = new Proxy(memory, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (fixture.storeDown) return Promise.reject(new StoreUnavailableError());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as TwoFactorStore;
  const clock = () => new Date(fixture.now);
  const serviceOptions: TwoFactorServiceOptions = {
    store,
    keyring: Keyring.parse(`k1:${KEY}`),
    issuer: 'Acme Billing',
    verifyPassword: (userId, password) => users.get(userId)?.password === password,
    clock,
    scrypt: { log2N: 10 },
    onEvent: (event) => {
      events.push(event);
    },
  };
  const service = new TwoFactorService(serviceOptions);
  for (const [id, username] of [
    ['u-alice', 'alice'],
    ['u-bob', 'bob'],
    ['u-carol', 'carol'],
  ]) {
    users.set(id, { id, username, password: `${username}-password`, passwordHash: `hash:${username}-password:1` });
  }
  const codeFor = (userId: string, offsetSteps = 0): string => {
    const secret = secrets.get(userId);
    if (!secret) throw new Error(`${userId} is not enrolled`);
    return generateTotp({ secret: base32Decode(secret)!, timeMs: fixture.now + offsetSteps * 30_000 });
  };
  return Object.assign(fixture, {
    clock,
    users,
    service,
    serviceOptions,
    events,
    advanceSeconds(seconds: number) {
      fixture.now += seconds * 1000;
    },
    findByUsername: (username: string) => [...users.values()].find((user) => user.username === username),
    publicUser: (id: string) => {
      const user = users.get(id);
      return user ? { id: user.id, username: user.username } : null;
    },
    changePassword(id: string, password: string) {
      const user = users.get(id)!;
      const version = Number(user.passwordHash.split(':').pop()) + 1;
      Object.assign(user, { password, passwordHash: `hash:${password}:${version}` });
    },
    async enroll(userId: string) {
      const start = await service.beginEnrollment({ userId, accountName: users.get(userId)!.username });
      if (!start.ok) throw start.error;
      secrets.set(userId, start.secret);
      const confirmed = await service.confirmEnrollment({ userId, code: codeFor(userId) });
      if (!confirmed.ok) throw confirmed.error;
      fixture.advanceSeconds(30);
      return { secret: start.secret, backupCodes: confirmed.backupCodes };
    },
    codeFor,
    wrongCodeFor(userId: string) {
      const accepted = new Set([-1, 0, 1].map((offset) => codeFor(userId, offset)));
      for (let candidate = 0; ; candidate += 1) {
        const code = String(candidate).padStart(6, '0');
        if (!accepted.has(code)) return code;
      }
    },
  });
}
