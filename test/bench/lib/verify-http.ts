/**
 * The HTTP machinery of the second-step measurements (parts 4 and 6): users whose codes are
 * still unused, sessions left where the password step leaves them, and timed slices of
 * verifications against one endpoint of a bench site, with latency, CPU and SQL statements.
 */
import http from 'node:http';
import { generateTotp, timeStep } from '@secondfactor/core';
import type { StatementCounts } from '../site/statement-counter';
import { cookieHeader, httpRequest, runConcurrently, type HttpResponse } from './http-client';
import type { SiteChild } from './site-child';
import { percentile } from './stats';

const PREPARE_CONCURRENCY = 16;
/** Longer than the example's default AUDIT_BATCH_MS, plus the write itself. */
const AUDIT_SETTLE_MS = 300;

/** An enrolled user the bench knows the secret of. */
export interface BenchUser {
  id: string;
  secret: Buffer;
  /** The last step the site accepted for this user (the replay guard), as far as the bench knows. */
  lastStep: number;
}

/**
 * Hands out users whose code for the current 30-second step has not been used yet, round-robin,
 * waiting for the next step when too few are left.
 */
export class UserPicker {
  private cursor = 0;

  constructor(
    private readonly users: BenchUser[],
    private readonly log: (line: string) => void,
  ) {}

  /** How many users it picks from. */
  get size(): number {
    return this.users.length;
  }

  /** `count` distinct users whose code for the current step has not been used yet; waits for the next step if too few are left. */
  async pick(count: number): Promise<BenchUser[]> {
    if (count > this.users.length)
      throw new Error(
        `bench: ${count} verifications per measurement need at least as many users (${this.users.length} enrolled)`,
      );
    for (;;) {
      const step = timeStep(Date.now());
      const picked: BenchUser[] = [];
      for (let seen = 0; seen < this.users.length && picked.length < count; seen++) {
        const user = this.users[this.cursor];
        this.cursor = (this.cursor + 1) % this.users.length;
        if (user.lastStep < step) picked.push(user);
      }
      if (picked.length === count) {
        // Reserve them for this step; the send records the step actually used.
        for (const user of picked) user.lastStep = step;
        return picked;
      }
      const waitMs = (step + 1) * 30_000 - Date.now() + 50;
      this.log(
        `verify: every user's code for this step is spent; waiting ${Math.ceil(waitMs / 1000)} s for the next step`,
      );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** A session waiting for its second step. */
export interface Prepared {
  user: BenchUser;
  cookie: string;
  csrfToken: string;
}

/**
 * Opens one session per user through the bench-only `GET /__bench/pending` route: the state the
 * password step leaves (a pending second factor), without paying for a password hash.
 */
export async function preparePending(port: number, token: string, users: BenchUser[]): Promise<Prepared[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: PREPARE_CONCURRENCY });
  const prepared = new Array<Prepared>(users.length);
  try {
    await runConcurrently(users.length, PREPARE_CONCURRENCY, async (i) => {
      const res = await httpRequest(agent, {
        port,
        method: 'GET',
        path: `/__bench/pending?userId=${users[i].id}`,
        headers: { 'x-bench-token': token, accept: 'application/json' },
      });
      if (res.status !== 200)
        throw new Error(`bench: GET /__bench/pending answered ${res.status}: ${res.body.slice(0, 200)}`);
      prepared[i] = {
        user: users[i],
        cookie: cookieHeader(res.headers),
        csrfToken: (JSON.parse(res.body) as { csrfToken: string }).csrfToken,
      };
    });
  } finally {
    agent.destroy();
  }
  return prepared;
}

/** Where a slice sends its codes, and which refusals are expected rather than failures. */
export interface Endpoint {
  /** Names the endpoint in errors. */
  label: string;
  path: string;
  /** A refusal of a valid code the bench knows about (notp's zero-padding): counted, not thrown. */
  knownRefusal?: (res: HttpResponse, user: BenchUser, step: number) => boolean;
}

/** What one batch of verifications did. */
export interface VerifyOutcome {
  elapsedMs: number;
  latenciesMs: number[];
  successes: number;
  knownRefusals: number;
}

/**
 * Sends each prepared session a fresh valid code on `concurrency` keep-alive connections; throws
 * if any verification fails other than by a known refusal.
 */
export async function verifyAll(
  port: number,
  endpoint: Endpoint,
  prepared: Prepared[],
  concurrency: number,
): Promise<VerifyOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let knownRefusals = 0;
  const started = process.hrtime.bigint();
  try {
    await runConcurrently(prepared.length, concurrency, async (i) => {
      const { user, cookie, csrfToken } = prepared[i];
      const now = Date.now();
      const body = JSON.stringify({ code: generateTotp({ secret: user.secret, timeMs: now }) });
      const sent = process.hrtime.bigint();
      const res = await httpRequest(agent, {
        port,
        method: 'POST',
        path: endpoint.path,
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
      const latencyMs = Number(process.hrtime.bigint() - sent) / 1e6;
      if (res.status === 200 && res.body.includes('"authenticated"')) {
        latenciesMs.push(latencyMs);
        user.lastStep = Math.max(user.lastStep, timeStep(now));
      } else if (endpoint.knownRefusal?.(res, user, timeStep(now))) {
        knownRefusals++;
      } else {
        failures.push(`${res.status} ${res.body.slice(0, 160)}`);
      }
    });
  } finally {
    agent.destroy();
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (failures.length)
    throw new Error(
      `bench: ${failures.length} of ${prepared.length} ${endpoint.label} verifications failed, e.g. ${failures[0]}`,
    );
  return { elapsedMs, latenciesMs, successes: latenciesMs.length, knownRefusals };
}

/** One timed slice, before it is combined with the other slices of the same contender and run. */
export interface Slice extends VerifyOutcome {
  cpuMicros: number;
  serverCpuMs?: number;
  /** Bytes the database server read from storage during the slice, when it runs on this machine. */
  serverReadBytes?: number;
  count: number;
  statements: StatementCounts;
}

/** A contender's figures over its slices of one run. */
export interface Measurement {
  verifiesPerSecond: number;
  /** Valid codes refused for a known reason (notp's missing zero-padding, for the baseline). */
  knownRefusals: number;
  /** CPU time the site process spent per verification (user + system), in milliseconds. */
  siteCpuMs: number;
  /** CPU time the database server spent per verification, in milliseconds, when it runs on this machine. */
  serverCpuMs?: number;
  /** KiB the database server read from storage per verification, when it runs on this machine. */
  serverReadKiB?: number;
  p50Ms: number;
  p99Ms: number;
  statements: StatementCounts;
}

/** One slice to measure: where, what, how many, how hard. */
export interface SliceSpec {
  site: SiteChild;
  /** The key of the site's port in `site.ports`; `site` unless told. */
  port?: string;
  token: string;
  picker: UserPicker;
  endpoint: Endpoint;
  concurrency: number;
  count: number;
  /** The database server's CPU time in ms, read before and after the slice. */
  serverCpu?: () => number;
  /** The bytes the database server has read from storage, read before and after the slice. */
  serverReadBytes?: () => number;
}

/**
 * Prepares `count` sessions (untimed), then times their verifications, with the site's CPU time
 * and SQL statements over the slice.
 */
export async function measureSlice(spec: SliceSpec): Promise<Slice> {
  const { site, token, picker, endpoint, concurrency, count, serverCpu, serverReadBytes } = spec;
  const port = site.ports[spec.port ?? 'site'];
  const prepared = await preparePending(port, token, await picker.pick(count));
  await site.request('reset');
  const before = await site.request<{ cpuMicros: number }>('stats');
  const serverBefore = serverCpu?.();
  const readBefore = serverReadBytes?.();
  const outcome = await verifyAll(port, endpoint, prepared, concurrency);
  // The example writes code.verified audit rows up to AUDIT_BATCH_MS (100 ms) after the sign-in:
  // let the last batch of this slice land, so its statement and CPU count here, not in the next one.
  await new Promise((resolve) => setTimeout(resolve, AUDIT_SETTLE_MS));
  const serverAfter = serverCpu?.();
  const readAfter = serverReadBytes?.();
  const { statements, cpuMicros } = await site.request<{ statements: StatementCounts; cpuMicros: number }>('stats');
  const serverCpuMs = serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore;
  const read = readBefore === undefined || readAfter === undefined ? undefined : readAfter - readBefore;
  return { ...outcome, cpuMicros: cpuMicros - before.cpuMicros, serverCpuMs, serverReadBytes: read, count, statements };
}

/**
 * A contender's figures over its slices of one run. Throughput counts successful verifications
 * only; a refused code still cost the server its work.
 */
export function combine(slices: Slice[]): Measurement {
  const sum = (pick: (slice: Slice) => number): number => slices.reduce((total, slice) => total + pick(slice), 0);
  const latencies = slices.flatMap((slice) => slice.latenciesMs);
  const statements = { ...slices[0].statements };
  for (const slice of slices.slice(1))
    for (const key of Object.keys(statements) as Array<keyof StatementCounts>) statements[key] += slice.statements[key];
  return {
    verifiesPerSecond: (sum((x) => x.successes) * 1000) / sum((x) => x.elapsedMs),
    knownRefusals: sum((x) => x.knownRefusals),
    siteCpuMs: sum((x) => x.cpuMicros) / 1000 / sum((x) => x.count),
    serverCpuMs: slices.every((x) => x.serverCpuMs !== undefined)
      ? sum((x) => x.serverCpuMs ?? 0) / sum((x) => x.count)
      : undefined,
    serverReadKiB: slices.every((x) => x.serverReadBytes !== undefined)
      ? sum((x) => x.serverReadBytes ?? 0) / 1024 / sum((x) => x.count)
      : undefined,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statements,
  };
}
