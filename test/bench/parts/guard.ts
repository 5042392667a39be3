/**
 * Part 3: the cost of the second-factor guard on an authenticated page. Four instances of the
 * example, built by `createApp` in one site process from the same build: as shipped, with the
 * guard taken out of the `GET /clientarea` route, with the step-up guard (S35) in its place on a
 * session that needs no step-up, and a twin of the guard-less one (an A/A control).
 * Two measurements per run: the paired one, one request at a time to each instance in turn (the
 * target is checked on its median latencies), and autocannon slices under load with the site's
 * CPU per request. It runs twice: with no 2FA policy, and with `TWO_FACTOR_REQUIRED=owners` (S36).
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
import { measureStampCheck } from '../lib/stamp-check';
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

/** Sequential requests per instance and run in the paired measurement. */
const PAIRED_REQUESTS = 1500;

/**
 * The paired measurement: one request at a time, to each instance in turn (A B C D, B C D A, …),
 * each over its own keep-alive connection, so every contender meets the same machine within
 * milliseconds of the others. Returns each instance's median latency in milliseconds.
 */
async function pairedLatencies(
  targets: ReadonlyArray<{ id: string; port: number; cookie: string }>,
  requests: number,
): Promise<Record<string, number>> {
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const samples: number[][] = targets.map(() => []);
  try {
    for (let i = 0; i < requests; i++) {
      for (let k = 0; k < targets.length; k++) {
        const t = (i + k) % targets.length;
        const { port, cookie } = targets[t];
        const start = process.hrtime.bigint();
        const res = await httpRequest(agents[t], {
          port,
          method: 'GET',
          path: EXAMPLE.clientArea,
          headers: { cookie, accept: 'text/html' },
        });
        samples[t].push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.status !== 200) throw new Error(`bench: GET ${EXAMPLE.clientArea} answered ${res.status}`);
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return Object.fromEntries(targets.map((target, t) => [target.id, median(samples[t])]));
}

/** One autocannon slice of one instance, with the site process's CPU time during it. */
interface Slice {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  cpuMicros: number;
}

/** One instance over one run. */
interface RunFigures {
  rps: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
}

/** A run's figures: throughput and CPU per request over all its slices; latency percentiles weighted by each slice's requests. */
function runFigures(slices: Slice[], seconds: number): RunFigures {
  const requests = slices.reduce((sum, s) => sum + s.requests, 0);
  const weighted = (key: 'p50' | 'p99'): number => slices.reduce((sum, s) => sum + s[key] * s.requests, 0) / requests;
  return {
    rps: requests / seconds,
    p50: weighted('p50'),
    p99: weighted('p99'),
    cpuMicrosPerRequest: slices.reduce((sum, s) => sum + s.cpuMicros, 0) / requests,
  };
}

function figures(runs: RunFigures[]): LoadFigures {
  return {
    requestsPerSecond: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50)),
    p99Ms: median(runs.map((r) => r.p99)),
    requestsPerSecondRuns: runs.map((r) => r.rps),
    p99MsRuns: runs.map((r) => r.p99),
    siteCpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
    siteCpuMicrosPerRequestRuns: runs.map((r) => r.cpuMicrosPerRequest),
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
    const twin = {
      id: 'twin',
      port: site.ports.withoutGuardTwin,
      cookie: await signedInWithTwoFactor(site.ports.withoutGuardTwin, 'unguarded-twin@example.com'),
    };
    const targets = [withGuard, withoutGuard, withStepUpGuard, twin];
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

    const ids = targets.map((t) => t.id);
    const measured: Record<string, RunFigures[]> = Object.fromEntries(ids.map((id) => [id, []]));
    const paired: Array<Record<string, number>> = [];
    const siteCpuMicros = async (): Promise<number> => (await site.request<{ cpuMicros: number }>('stats')).cpuMicros;
    for (let run = 0; run < options.runs; run++) {
      // Short slices in a rotating order (A B C D, B C D A, …) so a burst of other work on the machine hits all.
      const slices: Record<string, Slice[]> = Object.fromEntries(ids.map((id) => [id, []]));
      for (let round = 0; round < options.rounds; round++) {
        const shift = (run + round) % targets.length;
        const order = [...targets.slice(shift), ...targets.slice(0, shift)];
        for (const target of order) {
          // Only this instance is loaded during its slice: the site process's CPU time is all its own.
          const cpuBefore = await siteCpuMicros();
          const figures = await load(target.port, target.cookie, options.seconds, options.connections);
          slices[target.id].push({ ...figures, cpuMicros: (await siteCpuMicros()) - cpuBefore });
        }
      }
      for (const id of ids) measured[id].push(runFigures(slices[id], options.seconds * options.rounds));
      paired.push(await pairedLatencies(targets, PAIRED_REQUESTS));
      const line = (id: string): string => {
        const r = measured[id][run];
        return `${Math.round(r.rps)} req/s, ${r.cpuMicrosPerRequest.toFixed(0)} µs CPU/req`;
      };
      options.log?.(
        `guard${policy ? ' (policy on)' : ''} run ${run + 1}/${options.runs}: with ${line('with')}; without ${line('without')}; step-up guard ${line('stepUp')}; twin without ${line('twin')}; one at a time, median ms: ${ids.map((id) => `${id} ${paired[run][id].toFixed(3)}`).join(', ')}`,
      );
    }
    /** Medians over runs of a ÷ b: requests per second and CPU per request under load, and the paired latency. */
    const ratios = (a: string, b: string): { throughput: number; cpu: number; latency: number } => ({
      throughput: median(measured[a].map((r, i) => r.rps / measured[b][i].rps)),
      cpu: median(measured[a].map((r, i) => r.cpuMicrosPerRequest / measured[b][i].cpuMicrosPerRequest)),
      latency: median(paired.map((run) => run[a] / run[b])),
    });
    const pairedMs = (id: string): { medianMs: number; runsMs: number[] } => ({
      medianMs: median(paired.map((run) => run[id])),
      runsMs: paired.map((run) => run[id]),
    });
    const guardRatios = ratios('with', 'without');
    const stepUpRatios = ratios('stepUp', 'without');
    const controlRatios = ratios('twin', 'without');
    return {
      runs: options.runs,
      secondsPerMeasurement: options.seconds,
      rounds: options.rounds,
      connections: options.connections,
      path: EXAMPLE.clientArea,
      method:
        'Four instances of the site are built with `createApp` in one process from the same build: the first as shipped, with the `requireSecondFactor` guard (of @secondfactor/koa) on `GET /clientarea`; in the second the guard is taken out of that route (same router, same handler); the third has the step-up guard (`requireRecentSecondFactor`) in its place, on a session signed in within the max age, so no step-up is due; the fourth is a twin of the second. Each serves a user who enabled 2FA and signed in through both steps; the page is requested as HTML from SQLite.' +
        (policy ? ' Every instance runs with `TWO_FACTOR_REQUIRED=owners` (S36).' : ''),
      policy,
      withGuard: figures(measured.with),
      withoutGuard: figures(measured.without),
      throughputRatio: guardRatios.throughput,
      cpuRatio: guardRatios.cpu,
      paired: {
        requestsPerRun: PAIRED_REQUESTS,
        withGuard: pairedMs('with'),
        withoutGuard: pairedMs('without'),
        withStepUpGuard: pairedMs('stepUp'),
        withoutGuardTwin: pairedMs('twin'),
        latencyRatio: guardRatios.latency,
        stepUpLatencyRatio: stepUpRatios.latency,
        controlLatencyRatio: controlRatios.latency,
      },
      control: {
        withoutGuardTwin: figures(measured.twin),
        throughputRatio: controlRatios.throughput,
        cpuRatio: controlRatios.cpu,
      },
      statementsPerRequest,
      guardCallNs: await guardCallNs(policy),
      stepUp: {
        withStepUpGuard: figures(measured.stepUp),
        throughputRatio: stepUpRatios.throughput,
        cpuRatio: stepUpRatios.cpu,
        guardCallNs: await guardCallNs(policy, true),
      },
      ...(policy ? {} : { stampCheck: await measureStampCheck() }),
    };
  } finally {
    registered();
    await site.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
