/**
 * `npm run bench:stamp`: the cost of the session-binding check (S31) per guarded request. The same
 * `requireSecondFactor` guard of @secondfactor/web runs on a signed-in neutral request, once
 * without `getSecurityStamp` and once with it, in alternating rounds; the figure is the ratio of
 * the medians. The check reads the stamp off the user the host already loaded: no query.
 */
import { performance } from 'node:perf_hooks';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorWeb, SECURITY_STAMP_SESSION_KEY, type WebRequest } from '@secondfactor/web';

const CALLS_PER_ROUND = Number(process.env.STAMP_BENCH_CALLS ?? 100_000);
const ROUNDS = Number(process.env.STAMP_BENCH_ROUNDS ?? 9);

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

async function round(call: () => Promise<void>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < CALLS_PER_ROUND; i++) await call();
  return ((performance.now() - start) * 1e6) / CALLS_PER_ROUND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const without = guardFor(false);
  const withStamp = guardFor(true);
  await round(without);
  await round(withStamp);
  const times = { without: [] as number[], with: [] as number[] };
  // A B B A order, so a drift of the shared machine weighs on both sides alike.
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      times.without.push(await round(without));
      times.with.push(await round(withStamp));
    } else {
      times.with.push(await round(withStamp));
      times.without.push(await round(without));
    }
  }
  const base = median(times.without);
  const stamped = median(times.with);
  console.log(`guard without stamp: ${base.toFixed(0)} ns/request (median of ${ROUNDS} × ${CALLS_PER_ROUND})`);
  console.log(`guard with stamp:    ${stamped.toFixed(0)} ns/request`);
  console.log(`ratio: ${(stamped / base).toFixed(3)} (added ${(stamped - base).toFixed(0)} ns, no query)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
