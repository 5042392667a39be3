/**
 * Part 3: the cost of the second-factor guard on an authenticated page. Two instances of the
 * example, built by `createApp` in one site process from the same build, one with the guard
 * taken out of the `GET /clientarea` route; autocannon loads them alternately in the same run.
 * It runs twice: with no 2FA policy, and with `TWO_FACTOR_REQUIRED=owners` (S36), where the guard
 * also asks the policy on every request.
 * A third instance serves the page behind the step-up guard (S35) instead, on a session whose
 * sign-in is recent (the page needs no step-up).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import { base32Decode, generateTotp, Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { createTwoFactorRouters } from '@secondfactor/koa';
import { TotpStrategy } from '@secondfactor/passport-totp';
import { STEP_UP_SESSION_KEY } from '@secondfactor/web';
import { BrowserSession } from '../lib/browser-session';
import { onInterrupt } from '../lib/cleanup';
import { httpRequest } from '../lib/http-client';
import type { GuardResult, LoadFigures } from '../lib/results';
import { SiteChild } from '../lib/site-child';
import { median } from '../lib/stats';
import { EXAMPLE } from '../site/example';
import type { StatementCounts } from '../site/statement-counter';

const PASSWORD = 'bench-password-long-enough';
const SANITY_REQUESTS = 50;

/** Registers a user, turns 2FA on, logs in again through both steps: a fully signed-in session. */
async function signedInWithTwoFactor(port: number, email: string): Promise<string> {
  const client = new BrowserSession(port);
  try {
    await client.refreshCsrf();
    await client.postJson('/register', { name: 'Bench User', email, password: PASSWORD });
    await client.refreshCsrf();
    const enrolled = await client.postJson('/account/security/two-factor/enroll', {});
    const secret = base32Decode(String(enrolled.secret)) as Buffer;
    await client.postJson('/account/security/two-factor/confirm', {
      code: generateTotp({ secret, timeMs: Date.now() }),
    });
    await client.postJson('/logout', {});
    await client.refreshCsrf();
    const login = await client.postJson('/login', { email, password: PASSWORD });
    if (login.status !== 'two-factor-required')
      throw new Error(`bench set-up: expected the second step, got ${JSON.stringify(login)}`);
    await client.refreshCsrf();
    // The confirming step is spent (S12): log in with the next step's code, which the window accepts.
    const challenge = await client.postJson(EXAMPLE.challenge, {
      code: generateTotp({ secret, timeMs: Date.now() + 30_000 }),
    });
    if (challenge.status !== 'authenticated')
      throw new Error(`bench set-up: second step failed: ${JSON.stringify(challenge)}`);
    const page = await client.request('GET', EXAMPLE.clientArea);
    if (page.status !== 200) throw new Error(`bench set-up: GET ${EXAMPLE.clientArea} answered ${page.status}`);
    return client.cookieHeader;
  } finally {
    client.close();
  }
}

/**
 * The guard's own cost, called directly on a signed-in context: what the HTTP comparison should
 * find, without the noise of a shared machine. `stepUp` measures `requireRecentSecondFactor` on a
 * session verified just now instead of `requireSecondFactor`.
 */
async function guardCallNs(policy: boolean, stepUp = false): Promise<number> {
  // The same guard the example mounts (requireSecondFactor of @secondfactor/koa, with the example's getUser).
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`bench:${Buffer.alloc(32, 1).toString('base64')}`),
    issuer: 'Bench',
    verifyPassword: () => false,
    // S36: with the policy the guard asks the hook, then the store (the user here is in the grace period).
    requirement: policy ? () => ({ required: true }) : undefined,
  });
  const { requireSecondFactor, requireRecentSecondFactor } = createTwoFactorRouters<{ id: string }>({
    service,
    strategy: new TotpStrategy({ service }),
    getUser: (ctx) => (ctx.isAuthenticated() ? (ctx.state.user as { id: string }) : undefined),
    getUserId: (user) => user.id,
    getAccountName: (user) => user.id,
  });
  const guard = (stepUp
    ? requireRecentSecondFactor({ redirectTo: '/login' })
    : requireSecondFactor({ redirectTo: '/login' })) as unknown as (
    ctx: unknown,
    next: () => Promise<void>,
  ) => Promise<void>;
  const ctx = {
    method: 'GET',
    path: EXAMPLE.clientArea,
    query: {},
    request: {},
    state: { user: { id: '1' } },
    session: { passport: { user: '1' }, [STEP_UP_SESSION_KEY]: Date.now() },
    ip: '127.0.0.1',
    isAuthenticated: () => true,
    get: (name: string) => (name === 'accept' ? 'text/html' : ''),
  };
  let passed = 0;
  const next = async (): Promise<void> => {
    passed++;
  };
  const calls = 200_000;
  for (let i = 0; i < calls; i++) await guard(ctx, next);
  passed = 0;
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await guard(ctx, next);
    samples.push(Number(process.hrtime.bigint() - start) / calls);
  }
  if (passed !== 5 * calls) throw new Error('bench: the guard did not let a signed-in context through');
  return median(samples);
}

async function load(
  port: number,
  cookie: string,
  seconds: number,
  connections: number,
): Promise<{ rps: number; p50: number; p99: number; requests: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${EXAMPLE.clientArea}`,
    connections,
    duration: seconds,
    headers: { cookie, accept: 'text/html' },
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `bench: GET ${EXAMPLE.clientArea} on port ${port} had ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

function figures(runs: Array<{ rps: number; p50: number; p99: number }>): LoadFigures {
  return {
    requestsPerSecond: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50)),
    p99Ms: median(runs.map((r) => r.p99)),
    requestsPerSecondRuns: runs.map((r) => r.rps),
    p99MsRuns: runs.map((r) => r.p99),
  };
}

/**
 * Measures part 3.
 */
export async function runGuard(options: {
  runs: number;
  rounds: number;
  seconds: number;
  connections: number;
  tmpDir: string;
  /** `TWO_FACTOR_REQUIRED=owners` on both instances (S36): the guard also enforces the policy. */
  policy?: boolean;
  log?: (line: string) => void;
}): Promise<GuardResult> {
  const policy = options.policy === true;
  const dir = path.join(options.tmpDir, `guard-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const site = await SiteChild.start({
    BENCH_SITE_MODE: 'guard',
    DATABASE_URL: `sqlite:${path.join(dir, 'site.sqlite')}`,
    DATA_DIR: dir,
    SECONDFACTOR_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    SESSION_KEYS: randomBytes(32).toString('base64'),
    // The step-up instance's session stays within the max age for the whole part: no step-up is due.
    STEP_UP_MAX_AGE_SECONDS: '86400',
    TWO_FACTOR_REQUIRED: policy ? 'owners' : 'none',
  });
  const registered = onInterrupt(async () => {
    await site.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    const withGuard = {
      id: 'with',
      port: site.ports.withGuard,
      cookie: await signedInWithTwoFactor(site.ports.withGuard, 'guarded@example.com'),
    };
    const withoutGuard = {
      id: 'without',
      port: site.ports.withoutGuard,
      cookie: await signedInWithTwoFactor(site.ports.withoutGuard, 'unguarded@example.com'),
    };
    const withStepUpGuard = {
      id: 'stepUp',
      port: site.ports.withStepUpGuard,
      cookie: await signedInWithTwoFactor(site.ports.withStepUpGuard, 'stepped-up@example.com'),
    };
    const targets = [withGuard, withoutGuard, withStepUpGuard];
    // The twin without the guard must still serve the page, and the guarded one must refuse a stranger.
    const stranger = new BrowserSession(withGuard.port);
    const refused = await stranger.request('GET', EXAMPLE.clientArea);
    stranger.close();
    if (refused.status !== 401)
      throw new Error(`bench: the guarded instance answered ${refused.status} to a stranger, expected 401`);
    for (const target of targets) await load(target.port, target.cookie, 1, options.connections);
    // The instances must do the same work apart from the guard: count their SQL per request, once the
    // warm-up's last in-flight requests have finished (else the last one warmed up counts a few of them).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await site.request('reset');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (const target of targets) {
      for (let i = 0; i < SANITY_REQUESTS; i++) {
        const res = await httpRequest(agent, {
          port: target.port,
          method: 'GET',
          path: EXAMPLE.clientArea,
          headers: { cookie: target.cookie, accept: 'text/html' },
        });
        if (res.status !== 200) throw new Error(`bench: GET ${EXAMPLE.clientArea} answered ${res.status}`);
      }
    }
    agent.destroy();
    const { guardStatements } = await site.request<{ guardStatements: StatementCounts[] }>('stats');
    const statementsPerRequest = {
      withGuard: guardStatements[0].total / SANITY_REQUESTS,
      withoutGuard: guardStatements[1].total / SANITY_REQUESTS,
      withStepUpGuard: guardStatements[2].total / SANITY_REQUESTS,
    };

    const measured: Record<string, Array<{ rps: number; p50: number; p99: number }>> = {
      with: [],
      without: [],
      stepUp: [],
    };
    for (let run = 0; run < options.runs; run++) {
      // Short alternating slices (A B, B A, A B, …) so a burst of other work on the machine hits both.
      const slices: Record<string, Array<{ rps: number; p50: number; p99: number; requests: number }>> = {
        with: [],
        without: [],
        stepUp: [],
      };
      for (let round = 0; round < options.rounds; round++) {
        // Rotate the order of the three each round, so none always follows the same neighbour.
        const shift = (run + round) % targets.length;
        const order = [...targets.slice(shift), ...targets.slice(0, shift)];
        for (const target of order)
          slices[target.id].push(await load(target.port, target.cookie, options.seconds, options.connections));
      }
      for (const id of ['with', 'without', 'stepUp']) {
        const requests = slices[id].reduce((sum, s) => sum + s.requests, 0);
        // Per run: throughput over all its slices; latency percentiles weighted by each slice's requests.
        const weighted = (key: 'p50' | 'p99'): number =>
          slices[id].reduce((sum, s) => sum + s[key] * s.requests, 0) / requests;
        measured[id].push({
          rps: requests / (options.seconds * options.rounds),
          p50: weighted('p50'),
          p99: weighted('p99'),
        });
      }
      const w = measured.with[run];
      const wo = measured.without[run];
      const su = measured.stepUp[run];
      options.log?.(
        `guard${policy ? ' (policy on)' : ''} run ${run + 1}/${options.runs}: with ${Math.round(w.rps)} req/s (p99 ${w.p99.toFixed(1)} ms), without ${Math.round(wo.rps)} req/s (p99 ${wo.p99.toFixed(1)} ms), step-up guard ${Math.round(su.rps)} req/s (p99 ${su.p99.toFixed(1)} ms)`,
      );
    }
    return {
      runs: options.runs,
      secondsPerMeasurement: options.seconds,
      rounds: options.rounds,
      connections: options.connections,
      path: EXAMPLE.clientArea,
      method:
        'Two instances of the site are built with `createApp` in one process from the same build; in the second, the `requireSecondFactor` guard (of @secondfactor/koa) is taken out of the `GET /clientarea` route (same router, same handler). Each serves a user who enabled 2FA and signed in through both steps; the page is requested as HTML from SQLite.' +
        (policy
          ? ' Both instances run with `TWO_FACTOR_REQUIRED=owners` (S36): the guard also asks the 2FA policy, which for an owner with 2FA on is one indexed read of the credential.'
          : ''),
      policy,
      withGuard: figures(measured.with),
      withoutGuard: figures(measured.without),
      throughputRatio: median(measured.with.map((w, i) => w.rps / measured.without[i].rps)),
      statementsPerRequest,
      guardCallNs: await guardCallNs(policy),
      stepUp: {
        withStepUpGuard: figures(measured.stepUp),
        throughputRatio: median(measured.stepUp.map((su, i) => su.rps / measured.without[i].rps)),
        guardCallNs: await guardCallNs(policy, true),
      },
    };
  } finally {
    registered();
    await site.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
