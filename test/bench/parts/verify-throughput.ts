/**
 * Parts 4 and 5: successful second-step verifications per second across many users, over HTTP on
 * the example site, on MariaDB, PostgreSQL and SQLite, against a passport-totp baseline mounted in the same
 * app on the same database; SQL statements per verification; the site's memory before and after.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { generateSecret, generateTotp, Keyring, SecretCipher, secretToBase32 } from '@secondfactor/core';
import { TwoFactorCredentialEntity } from '@secondfactor/typeorm';
import { hotp as notpHotp } from 'notp';
import type { DataSource } from 'typeorm';
import { onInterrupt } from '../lib/cleanup';
import { compareExpressSite } from './express-site';
import { openDatabase, type DatabasePartOptions } from '../lib/bench-database';
import type { BenchDatabase } from '../lib/config';
import { httpRequest } from '../lib/http-client';
import { runLoadPhase } from '../lib/load-phase';
import type { VerifyDatabaseResult, VerifyResult, VerifyRow } from '../lib/results';
import { SiteChild } from '../lib/site-child';
import { median } from '../lib/stats';
import {
  combine,
  measureSlice,
  preparePending,
  UserPicker,
  verifyAll,
  type BenchUser,
  type Endpoint,
  type Measurement,
  type Slice,
} from '../lib/verify-http';
import { createDataSource, EXAMPLE, hashPassword, User } from '../site/example';
import type { StatementCounts } from '../site/statement-counter';

type Contender = 'ours' | 'baseline' | 'peer';

const CONTENDERS: readonly Contender[] = ['ours', 'baseline', 'peer'];
const PATHS: Record<Contender, string> = {
  ours: EXAMPLE.challenge,
  baseline: '/__bench/legacy/two-factor',
  peer: '/__bench/otplib/two-factor',
};
/** Parallel sessions of one user sending the same code, in the replay probe. */
const REPLAY_SUBMISSIONS = 20;
const CHUNK = 500;
const MiB = 2 ** 20;

/** What part 4 needs to know. */
export interface VerifyOptions extends DatabasePartOptions {
  users: number;
  /** The most verifications one measurement may use. */
  maxVerifiesPerMeasurement: number;
  /** Target duration of one timed phase; the count of verifications is sized from a calibration. */
  secondsPerMeasurement: number;
  concurrency: number[];
  databases: BenchDatabase[];
  /** Part 5's load phase: seconds of the second step at `clients` before the last memory reading. */
  memoryLoad: { seconds: number; clients: number };
}

/** The method paragraph of the report. */
export const VERIFY_METHOD = [
  "Measured at the HTTP level, on the example site built by `createApp` and run in its own process. Each measured request is the second login step with a fresh, valid code: `POST /login/two-factor` (JSON, CSRF header, session cookie) for secondfactor, `POST /__bench/legacy/two-factor` for the baseline. Both run in the same app, behind the same session, body-parser, CSRF and Passport middleware and the same routers (the baseline route is mounted right before the router of the site's own second step), on the same database, and end the same way (pending state cleared, `ctx.login`, which regenerates the session in the database).",
  '',
  "- **secondfactor**: the example's `TotpStrategy` route: password fingerprint check (S22, a user lookup), credential read, AES-256-GCM decryption, constant-time check of 3 steps, atomic `last_used_step` update (S12), the `code.verified` audit row (queued, written in batches of up to 100 at most 100 ms later: the example's default `AUDIT_BATCH_MS`), user load.",
  "- **peer**: what otplib 13's documentation tells an app to do for replay safety, as a typical app writes it: the user (as above), one `SELECT` of the plaintext secret and the last time step from its own table, otplib `verify` with the node crypto plugin, window 1 and `afterTimeStep`, then one `UPDATE` storing the new step. A plain read-then-write: nothing makes the check and the write one atomic step. No encryption, no throttling, no audit.",
  '- **baseline**: passport-totp 0.0.2 as its README shows: the user (as `deserializeUser` would load it), its `setup` callback reading a plaintext base32 secret from its own table (one `SELECT`), notp with window 1. No replay protection, no throttling, no encryption, no audit.',
  '',
  'The password step is not measured: it costs one scrypt password hash (about 100 ms) and would drown the second step. Before each timed phase a bench-only route (`GET /__bench/pending`, mounted after the session middleware) puts into fresh sessions exactly what the password step leaves: a pending second factor with the password fingerprint. Each code is used once: every verification is a different user, and a user comes back only in a later 30-second step.',
  '',
  "Enrollment is not measured either: users and their active credentials are inserted directly through the TypeORM entities (`User`, `TwoFactorCredentialEntity`), with secrets encrypted by `SecretCipher` under the site's key, in chunks of 500 rows; no backup-code rows are written (the TOTP path never reads them). The baseline's plaintext secrets (the same secrets) go to a bench table `bench_legacy_totp_secrets`. SQL statements are counted by a TypeORM logger installed on the site's DataSource, during the timed phase only.",
].join('\n');

async function enroll(dataSource: DataSource, count: number, keys: string, passwordHash: string): Promise<BenchUser[]> {
  const cipher = new SecretCipher(Keyring.parse(keys));
  const now = new Date();
  await dataSource.query(
    'CREATE TABLE bench_legacy_totp_secrets (user_id VARCHAR(32) NOT NULL PRIMARY KEY, secret VARCHAR(64) NOT NULL)',
  );
  await dataSource.query(
    'CREATE TABLE bench_otplib_totp (user_id VARCHAR(32) NOT NULL PRIMARY KEY, secret VARCHAR(64) NOT NULL, last_step BIGINT NULL)',
  );
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, i) => ({
      name: `Bench User ${start + i}`,
      email: `bench-${start + i}@example.com`,
      passwordHash,
      parentId: null,
    }));
    await dataSource.createQueryBuilder().insert().into(User).values(rows).execute();
  }
  const ids = (await dataSource.query("SELECT id FROM users WHERE email LIKE 'bench-%' ORDER BY id")) as Array<{
    id: number | string;
  }>;
  if (ids.length !== count) throw new Error(`bench: enrolled ${ids.length} users, expected ${count}`);
  const users: BenchUser[] = ids.map(({ id }) => ({ id: String(id), secret: generateSecret(), lastStep: -1 }));
  for (let start = 0; start < count; start += CHUNK) {
    const slice = users.slice(start, start + CHUNK);
    const credentials = slice.map((user) => {
      const id = randomUUID();
      return {
        id,
        userId: user.id,
        state: 'active' as const,
        encryptedSecret: cipher.encrypt(user.secret, { userId: user.id, credentialId: id }),
        keyId: cipher.currentKeyId,
        pendingExpiresAt: null,
        lastUsedStep: null,
        failureCount: 0,
        backoffUntil: null,
        lockedAt: null,
        createdAt: now,
        confirmedAt: now,
        updatedAt: now,
      };
    });
    await dataSource.createQueryBuilder().insert().into(TwoFactorCredentialEntity).values(credentials).execute();
    const postgres = dataSource.options.type === 'postgres';
    const placeholders = slice.map((_, i) => (postgres ? `($${2 * i + 1}, $${2 * i + 2})` : '(?, ?)')).join(', ');
    for (const table of ['bench_legacy_totp_secrets', 'bench_otplib_totp'])
      await dataSource.query(
        `INSERT INTO ${table} (user_id, secret) VALUES ${placeholders}`,
        slice.flatMap((user) => [user.id, secretToBase32(user.secret)]),
      );
  }
  return users;
}

/**
 * Whether notp itself cannot produce the RFC code of this step: it takes the last six characters of
 * the decimal value without zero-padding, so a value below 100000 (about 1 code in 21,000) becomes
 * a shorter string and the valid 6-digit code is refused.
 */
function notpMangles(secret: Buffer, step: number): boolean {
  return notpHotp.gen(secret, { counter: step }).length !== 6;
}

/** Each contender's endpoint; the baseline's refusals of codes notp mangles are counted, not failures. */
const ENDPOINTS: Record<Contender, Endpoint> = {
  ours: { label: 'ours', path: PATHS.ours },
  baseline: {
    label: 'baseline',
    path: PATHS.baseline,
    knownRefusal: (res, user, step) => res.status === 401 && notpMangles(user.secret, step),
  },
  peer: { label: 'peer', path: PATHS.peer },
};

async function measure(
  site: SiteChild,
  token: string,
  picker: UserPicker,
  contender: Contender,
  concurrency: number,
  count: number,
  serverCpu?: () => number,
): Promise<Measurement> {
  return combine([
    await measureSlice({ site, token, picker, endpoint: ENDPOINTS[contender], concurrency, count, serverCpu }),
  ]);
}

/**
 * One run of every contender at one concurrency, in a mirrored order such as A B C C B A (each
 * slice half the count): a drift of the machine during the run (a neighbour's load, the database
 * flushing) weighs on all contenders alike, instead of on whichever went last.
 */
async function measureRound(
  site: SiteChild,
  token: string,
  picker: UserPicker,
  order: readonly Contender[],
  concurrency: number,
  count: number,
  serverCpu?: () => number,
): Promise<Record<Contender, Measurement>> {
  const half = Math.max(1, Math.round(count / 2));
  const slices: Record<Contender, Slice[]> = { ours: [], baseline: [], peer: [] };
  for (const contender of [...order, ...[...order].reverse()])
    slices[contender].push(
      await measureSlice({ site, token, picker, endpoint: ENDPOINTS[contender], concurrency, count: half, serverCpu }),
    );
  return { ours: combine(slices.ours), baseline: combine(slices.baseline), peer: combine(slices.peer) };
}

/**
 * Sends one valid code from REPLAY_SUBMISSIONS parallel sessions of one user, all pending at the
 * same time, and counts the sign-ins the endpoint accepted: 1 for a replay-safe endpoint.
 */
async function replayProbe(site: SiteChild, token: string, picker: UserPicker, contender: Contender): Promise<number> {
  const [user] = await picker.pick(1);
  const prepared = await preparePending(
    site.ports.site,
    token,
    Array.from({ length: REPLAY_SUBMISSIONS }, () => user),
  );
  const code = generateTotp({ secret: user.secret, timeMs: Date.now() });
  const agent = new http.Agent({ keepAlive: true, maxSockets: REPLAY_SUBMISSIONS });
  try {
    const answers = await Promise.all(
      prepared.map(({ cookie, csrfToken }) =>
        httpRequest(agent, {
          port: site.ports.site,
          method: 'POST',
          path: PATHS[contender],
          headers: {
            cookie,
            'x-csrf-token': csrfToken,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ code }),
        }),
      ),
    );
    return answers.filter((res) => res.status === 200 && res.body.includes('"authenticated"')).length;
  } finally {
    agent.destroy();
  }
}

async function sampleStatements(
  site: SiteChild,
  token: string,
  picker: UserPicker,
  contender: Contender,
): Promise<string[]> {
  const prepared = await preparePending(site.ports.site, token, await picker.pick(1));
  await site.request('capture-start');
  await verifyAll(site.ports.site, ENDPOINTS[contender], prepared, 1);
  const { statements } = await site.request<{ statements: string[] }>('capture-stop');
  return statements.map((sql) => (sql.length > 220 ? `${sql.slice(0, 217)}...` : sql) + (sql.endsWith(';') ? '' : ';'));
}

/** Where each contender keeps its second factor. */
const SECRET_CATEGORY: Record<Contender, keyof StatementCounts> = {
  ours: 'two_factor_store',
  baseline: 'baseline_secret',
  peer: 'peer_secret',
};

function row(contender: Contender, concurrency: number, runs: Measurement[], count: number): VerifyRow {
  const perVerify = (key: keyof StatementCounts): number => median(runs.map((m) => m.statements[key] / count));
  const categories = [
    'sessions',
    'users',
    'two_factor_store',
    'two_factor_audit',
    'baseline_secret',
    'peer_secret',
    'transaction',
    'other',
  ] as const;
  return {
    contender,
    concurrency,
    verifiesPerSecond: median(runs.map((m) => m.verifiesPerSecond)),
    siteCpuMs: median(runs.map((m) => m.siteCpuMs)),
    serverCpuMs: runs.every((m) => m.serverCpuMs !== undefined)
      ? median(runs.map((m) => m.serverCpuMs ?? 0))
      : undefined,
    p50Ms: median(runs.map((m) => m.p50Ms)),
    p99Ms: median(runs.map((m) => m.p99Ms)),
    statementsPerVerify: perVerify('total'),
    writesPerVerify: perVerify('writes'),
    secondFactorStatementsPerVerify: perVerify(SECRET_CATEGORY[contender]),
    auditStatementsPerVerify: perVerify('two_factor_audit'),
    verifiesPerSecondRuns: runs.map((m) => m.verifiesPerSecond),
    statementsByCategory: Object.fromEntries(
      categories.map((c) => [c, perVerify(c)]).filter(([, v]) => (v as number) > 0),
    ),
  };
}

async function runOnDatabase(kind: BenchDatabase, options: VerifyOptions): Promise<VerifyDatabaseResult> {
  const db = await openDatabase(kind, options);
  const keys = `bench:${randomBytes(32).toString('base64')}`;
  const token = randomBytes(16).toString('hex');
  const dataDir = path.join(options.tmpDir, `verify-data-${randomBytes(4).toString('hex')}`);
  let site: SiteChild | undefined;
  const registered = onInterrupt(async () => {
    await site?.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const passwordHash = await hashPassword('bench-password-long-enough');
    const siteEnv = {
      BENCH_SITE_MODE: 'verify',
      BENCH_TOKEN: token,
      BENCH_PASSWORD_HASH: passwordHash,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      SECONDFACTOR_KEYS: keys,
      SESSION_KEYS: randomBytes(32).toString('base64'),
    };
    site = await SiteChild.start(siteEnv);
    const enrollStarted = Date.now();
    const dataSource = createDataSource(db.config);
    await dataSource.initialize();
    if (kind === 'sqlite') {
      // Same options as the site's DataSource, so the same pragmas.
      const [mode] = (await dataSource.query('PRAGMA journal_mode')) as Array<{ journal_mode: string }>;
      const [sync] = (await dataSource.query('PRAGMA synchronous')) as Array<{ synchronous: number }>;
      db.settings = `journal_mode=${mode.journal_mode}, synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][sync.synchronous] ?? sync.synchronous}`;
    }
    let users: BenchUser[];
    try {
      users = await enroll(dataSource, options.users, keys, passwordHash);
    } finally {
      await dataSource.destroy();
    }
    const enrollSeconds = (Date.now() - enrollStarted) / 1000;
    options.log(`verify ${kind}: ${options.users} users enrolled in ${enrollSeconds.toFixed(1)} s`);
    const picker = new UserPicker(users, options.log);
    const before = await site.request<{ rss: number; heapUsed: number; heapAfterGc: number }>('memory');
    let served = 0;
    let afterFirstRun = { heapAfterGc: 0, served: 0 };
    const notp = { attempts: 0, refusedValid: 0 };
    const tally = (contender: Contender, m: Measurement, count: number): Measurement => {
      if (contender === 'baseline') {
        notp.attempts += count;
        notp.refusedValid += m.knownRefusals;
      }
      return m;
    };

    // Calibration, discarded (it also warms up the JIT, the pools and the database caches): one
    // short measurement per contender and concurrency sizes the timed phases to about
    // `secondsPerMeasurement`. Both contenders get the same count at a given concurrency.
    const counts = new Map<number, number>();
    for (const concurrency of options.concurrency) {
      const probe = Math.min(options.maxVerifiesPerMeasurement, Math.max(10, 5 * concurrency));
      const rates: number[] = [];
      for (const contender of CONTENDERS) {
        rates.push(
          tally(contender, await measure(site, token, picker, contender, concurrency, probe, db.serverCpu), probe)
            .verifiesPerSecond,
        );
        served += probe;
      }
      const sized = Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * options.secondsPerMeasurement);
      counts.set(concurrency, Math.min(options.maxVerifiesPerMeasurement, Math.max(10, 2 * concurrency, sized)));
    }
    options.log(
      `verify ${kind}: verifications per measurement ${[...counts].map(([c, n]) => `${n} at ${c}`).join(', ')}`,
    );
    const results = new Map<string, Measurement[]>();
    for (let run = 0; run < options.runs; run++) {
      const parts: string[] = [];
      for (const concurrency of options.concurrency) {
        const count = counts.get(concurrency) as number;
        const order = (run + concurrency) % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
        const pair = await measureRound(site, token, picker, order, concurrency, count, db.serverCpu);
        for (const contender of CONTENDERS) {
          tally(contender, pair[contender], 2 * Math.max(1, Math.round(count / 2)));
          served += 2 * Math.max(1, Math.round(count / 2));
          const key = `${contender}/${concurrency}`;
          results.set(key, [...(results.get(key) ?? []), pair[contender]]);
        }
        const ours = results.get(`ours/${concurrency}`)?.[run];
        const base = results.get(`baseline/${concurrency}`)?.[run];
        const peer = results.get(`peer/${concurrency}`)?.[run];
        if (ours && base && peer)
          parts.push(
            `${concurrency}: ${Math.round(ours.verifiesPerSecond)} vs ${Math.round(base.verifiesPerSecond)} vs ${Math.round(peer.verifiesPerSecond)}/s`,
          );
      }
      options.log(`verify ${kind} run ${run + 1}/${options.runs}: ours vs baseline vs peer ${parts.join(', ')}`);
      if (run === 0) {
        // A reading once warm: later growth of the retained heap, per verification, would be a leak.
        const warm = await site.request<{ heapAfterGc: number }>('memory');
        afterFirstRun = { heapAfterGc: warm.heapAfterGc, served };
      }
    }
    const sample = {
      ours: await sampleStatements(site, token, picker, 'ours'),
      baseline: await sampleStatements(site, token, picker, 'baseline'),
      peer: await sampleStatements(site, token, picker, 'peer'),
    };
    served += 3;
    const replay = {
      submissions: REPLAY_SUBMISSIONS,
      oursAccepted: await replayProbe(site, token, picker, 'ours'),
      peerAccepted: await replayProbe(site, token, picker, 'peer'),
    };
    options.log(
      `verify ${kind}: one code from ${REPLAY_SUBMISSIONS} parallel sessions: secondfactor accepted ${replay.oursAccepted}, the otplib read-then-write peer ${replay.peerAccepted}`,
    );
    const after = await site.request<{ rss: number; heapUsed: number; heapAfterGc: number }>('memory');
    // Part 5: the second step kept busy, as `npm run test:load` does, then the retained heap again.
    const load = await runLoadPhase({
      site,
      token,
      picker,
      endpoint: ENDPOINTS.ours,
      concurrency: options.memoryLoad.clients,
      seconds: options.memoryLoad.seconds,
    });
    const afterLoad = await site.request<{ rss: number; heapAfterGc: number }>('memory');
    options.log(
      `verify ${kind}: load phase ${load.seconds.toFixed(0)} s at ${options.memoryLoad.clients} clients, ${load.verifies} verifications; retained heap ${(before.heapAfterGc / MiB).toFixed(1)} MiB at start, ${(afterLoad.heapAfterGc / MiB).toFixed(1)} MiB after`,
    );
    // After the memory reading, so part 5's figures stay those of the Koa site's own traffic.
    const express = await compareExpressSite({
      koaSite: site,
      siteEnv,
      dataDir,
      token,
      picker,
      runs: options.runs,
      counts,
      serverCpu: db.serverCpu,
      log: options.log,
      label: kind,
    });

    const rows: VerifyRow[] = [];
    const ratios: Array<{ concurrency: number; ratio: number }> = [];
    const peerRatios: Array<{ concurrency: number; ratio: number }> = [];
    for (const concurrency of options.concurrency) {
      const ours = results.get(`ours/${concurrency}`) as Measurement[];
      const base = results.get(`baseline/${concurrency}`) as Measurement[];
      const peer = results.get(`peer/${concurrency}`) as Measurement[];
      const count = counts.get(concurrency) as number;
      const perRun = 2 * Math.max(1, Math.round(count / 2));
      rows.push(
        row('ours', concurrency, ours, perRun),
        row('baseline', concurrency, base, perRun),
        row('peer', concurrency, peer, perRun),
      );
      ratios.push({ concurrency, ratio: median(ours.map((m, i) => m.verifiesPerSecond / base[i].verifiesPerSecond)) });
      peerRatios.push({
        concurrency,
        ratio: median(ours.map((m, i) => m.verifiesPerSecond / peer[i].verifiesPerSecond)),
      });
    }
    return {
      database: kind,
      serverVersion: db.version,
      serverSettings: db.settings,
      users: options.users,
      enrollSeconds,
      rows,
      ratios,
      peerRatios,
      replay,
      verifiesPerMeasurement: [...counts].map(([concurrency, count]) => ({ concurrency, count })),
      memory: {
        rssBeforeMiB: before.rss / MiB,
        rssAfterMiB: after.rss / MiB,
        heapUsedBeforeMiB: before.heapUsed / MiB,
        heapUsedAfterMiB: after.heapUsed / MiB,
        heapAfterGcBeforeMiB: before.heapAfterGc / MiB,
        heapAfterGcAfterMiB: after.heapAfterGc / MiB,
        heapAfterGcAfterFirstRunMiB: afterFirstRun.heapAfterGc / MiB,
        verifiesServedAfterFirstRun: afterFirstRun.served,
        verifiesServed: served,
        load: {
          seconds: load.seconds,
          clients: options.memoryLoad.clients,
          verifies: load.verifies,
          rssAfterMiB: afterLoad.rss / MiB,
          heapAfterGcAfterMiB: afterLoad.heapAfterGc / MiB,
        },
      },
      express,
      sampleStatements: sample,
      baselineRefusedValidCodes: notp,
    };
  } finally {
    registered();
    await site?.stop();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Measures parts 4 and 5 on each selected database in turn.
 */
export async function runVerifyThroughput(options: VerifyOptions): Promise<VerifyResult> {
  const databases: VerifyDatabaseResult[] = [];
  for (const kind of options.databases) databases.push(await runOnDatabase(kind, options));
  return { runs: options.runs, secondsPerMeasurement: options.secondsPerMeasurement, method: VERIFY_METHOD, databases };
}
