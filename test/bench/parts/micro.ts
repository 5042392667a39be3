/**
 * Part 1: TOTP verifications per second in one process, same secret, ±1 step window.
 * Ours pays for what the peers do not do: AES-256-GCM decryption of the stored secret on every
 * verify, and three HMACs with constant-time comparison every time (the peers stop at the
 * first matching step). The service row adds input normalisation, the store read and the replay
 * check over the in-memory store.
 */
import { randomUUID } from 'node:crypto';
import {
  base32Decode,
  generateSecret,
  generateTotp,
  Keyring,
  MemoryTwoFactorStore,
  SecretCipher,
  secretToBase32,
  TwoFactorService,
  verifyTotp,
} from '@secondfactor/core';
import { totp as notpTotp } from 'notp';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { verify as otplibVerify, verifySync as otplibVerifySync } from 'otplib';
import speakeasy from 'speakeasy';
import { interleave, opsPerSecond, type Contender } from '../lib/interleave';
import { median } from '../lib/stats';

const PERIOD_MS = 30_000;

/** Which code the contenders are given. */
export type MicroScenario = 'valid' | 'wrong';

/** One contender's figures across runs. */
export interface MicroRow {
  id: string;
  label: string;
  scenario: MicroScenario;
  /** Ops/s of each run. */
  opsPerSecondRuns: number[];
  /** Median ops/s. */
  opsPerSecond: number;
  /** Median over runs of (this ops/s ÷ ours ops/s in the same run); "ours" is the core verify. */
  ratioToOurs: number;
  /** Median microseconds per verification. */
  microsecondsPerVerify: number;
}

/** What part 1 reports. */
export interface MicroResult {
  runs: number;
  rounds: number;
  rows: MicroRow[];
}

/** The contenders, in report order. */
export const MICRO_CONTENDERS = [
  { id: 'ours-core', label: 'ours: SecretCipher.decrypt + verifyTotp' },
  { id: 'ours-service', label: 'ours: TwoFactorService.verifyCode (memory store)' },
  { id: 'otplib-default', label: 'otplib 13 verify (default crypto, @noble/hashes)' },
  { id: 'otplib-default-sync', label: 'otplib 13 verifySync (default crypto)' },
  { id: 'otplib-node', label: 'otplib 13 verify (plugin-crypto-node)' },
  { id: 'otplib-node-sync', label: 'otplib 13 verifySync (plugin-crypto-node)' },
  { id: 'notp', label: 'notp totp.verify window 1 (as passport-totp calls it)' },
  { id: 'speakeasy', label: 'speakeasy totp.verify window 1' },
] as const;

/** A 6-digit code that matches no step from `step - 2` to `step + 2`, so every contender checks its whole window. */
function wrongCode(secret: Buffer, timeMs: number): string {
  const near = new Set<string>();
  for (let d = -2; d <= 2; d++) near.add(generateTotp({ secret, timeMs: timeMs + d * PERIOD_MS }));
  for (let n = 0; ; n++) {
    const candidate = String((Number(generateTotp({ secret, timeMs })) + 1 + n * 7919) % 1_000_000).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

function expectAll(id: string, expected: boolean, got: number, n: number): void {
  if (got !== n)
    throw new Error(
      `micro: ${id} gave ${n - got} of ${n} results other than ${expected ? 'valid' : 'invalid'}; the bench is not measuring what it claims.`,
    );
}

/**
 * Measures part 1.
 */
export async function runMicro(options: {
  runs: number;
  rounds: number;
  batchMs: number;
  log?: (line: string) => void;
}): Promise<MicroResult> {
  const secret = generateSecret();
  const base32 = secretToBase32(secret);
  const keyring = Keyring.parse(`bench:${Buffer.alloc(32, 9).toString('base64')}`);
  const cipher = new SecretCipher(keyring);
  const binding = { userId: '1', credentialId: randomUUID() };
  const envelope = cipher.encrypt(secret, binding);
  const nodeCrypto = new NodeCryptoPlugin();

  // The service gets a clock the bench moves one step per verification, so every call is a
  // first use of its step and succeeds (the replay check is exercised, never tripped).
  let fakeNowMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS + 1_000;
  const store = new MemoryTwoFactorStore({ quiet: true });
  const service = new TwoFactorService({
    store,
    keyring,
    issuer: 'Bench',
    verifyPassword: () => true,
    clock: () => new Date(fakeNowMs),
  });
  const started = await service.beginEnrollment({ userId: 'bench-user', accountName: 'bench@example.com' });
  if (!started.ok) throw new Error(`micro: enrollment failed: ${started.error.code}`);
  const serviceSecret = base32Decode(started.secret) as Buffer;
  const confirmed = await service.confirmEnrollment({
    userId: 'bench-user',
    code: generateTotp({ secret: serviceSecret, timeMs: fakeNowMs }),
  });
  if (!confirmed.ok) throw new Error(`micro: enrollment confirmation failed: ${confirmed.error.code}`);
  let serviceCodes: string[] = [];
  let serviceTimes: number[] = [];

  // Codes are computed before each batch (untimed) for the real clock, as the peers read it.
  const codes: Record<MicroScenario, string> = { valid: '', wrong: '' };
  const refresh = (): void => {
    const now = Date.now();
    codes.valid = generateTotp({ secret, timeMs: now });
    codes.wrong = wrongCode(secret, now);
  };

  const make = (scenario: MicroScenario): Contender[] => {
    const expected = scenario === 'valid';
    const list: Contender[] = [
      {
        id: `ours-core/${scenario}`,
        beforeBatch: refresh,
        batch(n) {
          const code = codes[scenario];
          let ok = 0;
          for (let i = 0; i < n; i++) {
            const plain = cipher.decrypt(envelope, binding);
            if (verifyTotp({ secret: plain, code, timeMs: Date.now() }).valid === expected) ok++;
          }
          expectAll(this.id, expected, ok, n);
        },
      },
      {
        id: `otplib-default/${scenario}`,
        beforeBatch: refresh,
        async batch(n) {
          const token = codes[scenario];
          let ok = 0;
          for (let i = 0; i < n; i++)
            if ((await otplibVerify({ secret: base32, token, epochTolerance: 30 })).valid === expected) ok++;
          expectAll(this.id, expected, ok, n);
        },
      },
      {
        id: `otplib-default-sync/${scenario}`,
        beforeBatch: refresh,
        batch(n) {
          const token = codes[scenario];
          let ok = 0;
          for (let i = 0; i < n; i++)
            if (otplibVerifySync({ secret: base32, token, epochTolerance: 30 }).valid === expected) ok++;
          expectAll(this.id, expected, ok, n);
        },
      },
      {
        id: `otplib-node/${scenario}`,
        beforeBatch: refresh,
        async batch(n) {
          const token = codes[scenario];
          let ok = 0;
          for (let i = 0; i < n; i++)
            if (
              (await otplibVerify({ secret: base32, token, epochTolerance: 30, crypto: nodeCrypto })).valid === expected
            )
              ok++;
          expectAll(this.id, expected, ok, n);
        },
      },
      {
        id: `otplib-node-sync/${scenario}`,
        beforeBatch: refresh,
        batch(n) {
          const token = codes[scenario];
          let ok = 0;
          for (let i = 0; i < n; i++)
            if (otplibVerifySync({ secret: base32, token, epochTolerance: 30, crypto: nodeCrypto }).valid === expected)
              ok++;
          expectAll(this.id, expected, ok, n);
        },
      },
      {
        id: `notp/${scenario}`,
        beforeBatch: refresh,
        batch(n) {
          const token = codes[scenario];
          let ok = 0;
          // passport-totp 0.0.2 calls exactly this, with a fresh options object (notp mutates it).
          for (let i = 0; i < n; i++)
            if ((notpTotp.verify(token, secret, { window: 1, time: 30 }) !== null) === expected) ok++;
          expectAll(this.id, expected, ok, n);
        },
      },
      {
        id: `speakeasy/${scenario}`,
        beforeBatch: refresh,
        batch(n) {
          const token = codes[scenario];
          let ok = 0;
          for (let i = 0; i < n; i++)
            if (speakeasy.totp.verify({ secret: base32, encoding: 'base32', token, window: 1 }) === expected) ok++;
          expectAll(this.id, expected, ok, n);
        },
      },
    ];
    if (scenario === 'valid') {
      // A wrong code would count failures and trip the backoff, so the service runs only the valid scenario.
      list.splice(1, 0, {
        id: 'ours-service/valid',
        beforeBatch(n) {
          serviceTimes = [];
          serviceCodes = [];
          for (let i = 0; i < n; i++) {
            fakeNowMs += PERIOD_MS;
            serviceTimes.push(fakeNowMs);
            serviceCodes.push(generateTotp({ secret: serviceSecret, timeMs: fakeNowMs }));
          }
        },
        async batch(n) {
          let ok = 0;
          for (let i = 0; i < n; i++) {
            fakeNowMs = serviceTimes[i];
            if ((await service.verifyCode({ userId: 'bench-user', code: serviceCodes[i] })).ok) ok++;
          }
          expectAll(this.id, true, ok, n);
        },
      });
    }
    return list;
  };

  const contenders = [...make('valid'), ...make('wrong')];
  const runs = await interleave(contenders, {
    runs: options.runs,
    rounds: options.rounds,
    batchMs: options.batchMs,
    onRun: (run, m) =>
      options.log?.(
        `micro run ${run}/${options.runs}: ours ${Math.round(opsPerSecond(m['ours-core/valid']))}/s, otplib-node-sync ${Math.round(opsPerSecond(m['otplib-node-sync/valid']))}/s`,
      ),
  });

  const rows: MicroRow[] = [];
  for (const scenario of ['valid', 'wrong'] as const) {
    for (const { id, label } of MICRO_CONTENDERS) {
      const key = `${id}/${scenario}`;
      if (!(key in runs[0])) continue;
      const perRun = runs.map((r) => opsPerSecond(r[key]));
      const ratios = runs.map((r) => opsPerSecond(r[key]) / opsPerSecond(r[`ours-core/${scenario}`]));
      rows.push({
        id,
        label,
        scenario,
        opsPerSecondRuns: perRun,
        opsPerSecond: median(perRun),
        ratioToOurs: median(ratios),
        microsecondsPerVerify: 1e6 / median(perRun),
      });
    }
  }
  return { runs: options.runs, rounds: options.rounds, rows };
}
