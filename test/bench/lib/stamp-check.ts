/**
 * The cost of the session-binding check (S31) per guarded request. The same `requireSecondFactor`
 * guard of @secondfactor/web runs on a signed-in neutral request, once without `getSecurityStamp`
 * and once with it, in alternating rounds (A B B A); the figure is the ratio of the medians. The
 * check reads the stamp off the user the host already loaded: no query.
 */
import { performance } from 'node:perf_hooks';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb, SECURITY_STAMP_SESSION_KEY, type WebRequest } from '@secondfactor/web';
import { median } from './stats';

/** The stamp check's figures: nanoseconds per guarded request without and with it, and their ratio. */
export interface StampCheckResult {
  calls: number;
  rounds: number;
  withoutNs: number;
  withNs: number;
  ratio: number;
}

interface User {
  id: string;
  email: string;
  securityStamp: string;
}

const user: User = { id: '42', email: 'ada@example.com', securityStamp: 'q4X0m1eJ2b9nY7cZ8wVt5rKpLs3dFh6A' };

function guardFor(withStamp: boolean) {
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 3).toString('base64')}`),
    issuer: 'Bench',
    verifyPassword: () => true,
  });
  const web = createTwoFactorWeb<User, Record<string, never>>({
    service,
    strategy: { verify: async () => ({ ok: true, user, method: 'totp' }), loginState: () => 'none' },
    getUser: () => user,
    ...(withStamp ? { getSecurityStamp: (signedIn: User) => signedIn.securityStamp } : {}),
  });
  const data: Record<string, unknown> = {
    passport: { user: user.id },
    [SECURITY_STAMP_SESSION_KEY]: user.securityStamp,
  };
  const request: WebRequest<Record<string, never>> = {
    method: 'GET',
    path: '/clientarea',
    params: {},
    query: {},
    readBody: async () => ({}),
    accept: 'application/json',
    contentType: '',
    csrfToken: undefined,
    session: { data, logIn: async () => undefined },
    meta: {},
    native: {},
  };
  const guard = web.requireSecondFactor();
  return async () => {
    if ((await guard(request)) !== null) throw new Error('bench: the guard refused a signed-in request');
  };
}

async function round(call: () => Promise<void>, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return ((performance.now() - start) * 1e6) / calls;
}

/**
 * Measures the guard without and with the stamp check, `rounds` rounds of `calls` calls each.
 */
export async function measureStampCheck(calls = 100_000, rounds = 9): Promise<StampCheckResult> {
  const without = guardFor(false);
  const withStamp = guardFor(true);
  await round(without, calls);
  await round(withStamp, calls);
  const times = { without: [] as number[], with: [] as number[] };
  // A B B A order, so a drift of the shared machine weighs on both sides alike.
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      times.without.push(await round(without, calls));
      times.with.push(await round(withStamp, calls));
    } else {
      times.with.push(await round(withStamp, calls));
      times.without.push(await round(without, calls));
    }
  }
  const withoutNs = median(times.without);
  const withNs = median(times.with);
  return { calls, rounds, withoutNs, withNs, ratio: withNs / withoutNs };
}
