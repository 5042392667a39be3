/**
 * Micro-benchmark of the hot paths: a successful TOTP verify through the service (store read,
 * AES-GCM decryption, three HMACs, the atomic step update) and raw `verifyTotp`; then the cost of a
 * backup-code attempt with 1 and 10 stored codes, which should be equal (one scrypt per attempt, S18).
 *
 *   npx tsx packages/core/bench/verify.bench.ts
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  BackupCodeHasher,
  base32Decode,
  DEFAULT_SCRYPT_PARAMS,
  generateBackupCode,
  generateTotp,
  Keyring,
  MemoryTwoFactorStore,
  TwoFactorService,
  verifyTotp,
} from '../src';

const START_MS = Date.UTC(2030, 0, 1);

function makeService(nowRef: { ms: number }, backupCodeCount = 1): TwoFactorService {
  return new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${randomBytes(32).toString('base64')}`),
    issuer: 'Bench',
    verifyPassword: () => true,
    clock: () => new Date(nowRef.ms),
    backupCodeCount,
    // Wrong backup codes must keep being evaluated, not throttled, for the duration of the run.
    throttle: { maxFailures: 100, freeAttempts: 100 },
  });
}

async function enroll(
  service: TwoFactorService,
  nowRef: { ms: number },
  userId: string,
): Promise<{ secret: Buffer; backupCodes: string[] }> {
  const start = await service.beginEnrollment({ userId, accountName: `${userId}@example.com` });
  if (!start.ok) throw start.error;
  const secret = base32Decode(start.secret) as Buffer;
  const confirmed = await service.confirmEnrollment({ userId, code: generateTotp({ secret, timeMs: nowRef.ms }) });
  if (!confirmed.ok) throw confirmed.error;
  return { secret, backupCodes: confirmed.backupCodes };
}

async function serviceVerifyMicros(iterations: number): Promise<number> {
  const now = { ms: START_MS };
  const service = makeService(now);
  const { secret } = await enroll(service, now, 'bench-user');
  // Each success consumes its step, so every iteration is one step later; codes are made up front.
  const codes = Array.from({ length: iterations }, (_, i) =>
    generateTotp({ secret, timeMs: START_MS + (i + 1) * 30_000 }),
  );
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    now.ms = START_MS + (i + 1) * 30_000;
    const outcome = await service.verifyCode({ userId: 'bench-user', code: codes[i] });
    if (!outcome.ok) throw new Error(`verify ${i} failed: ${outcome.error.code}`);
  }
  return ((performance.now() - started) * 1000) / iterations;
}

function rawVerifyMicros(iterations: number): number {
  const secret = randomBytes(20);
  const timeMs = START_MS + 15_000;
  const code = generateTotp({ secret, timeMs });
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    if (!verifyTotp({ secret, code, timeMs }).valid) throw new Error('raw verify failed');
  }
  return ((performance.now() - started) * 1000) / iterations;
}

async function backupAttemptMillis(storedCodes: number, attempts: number): Promise<number> {
  const now = { ms: START_MS };
  const service = makeService(now, storedCodes);
  await enroll(service, now, 'bench-user');
  const started = performance.now();
  for (let i = 0; i < attempts; i++) {
    const outcome = await service.useBackupCode({ userId: 'bench-user', backupCode: 'AAAA-BBBB-CCCC-DDDD' });
    if (outcome.ok || outcome.error.code !== 'TWO_FACTOR_INVALID_CODE')
      throw new Error('expected an evaluated wrong code');
  }
  return (performance.now() - started) / attempts;
}

async function hasherMillis(storedCodes: number, attempts: number): Promise<number> {
  const hasher = new BackupCodeHasher();
  const hashes = await hasher.hashSet(Array.from({ length: storedCodes }, generateBackupCode));
  const started = performance.now();
  for (let i = 0; i < attempts; i++) await hasher.findMatch('AAAABBBBCCCCDDDD', hashes);
  return (performance.now() - started) / attempts;
}

async function main(): Promise<void> {
  const verifyIterations = Number(process.env.BENCH_VERIFY_ITERATIONS ?? 20_000);
  const backupAttempts = Number(process.env.BENCH_BACKUP_ATTEMPTS ?? 30);

  // Warm-up: JIT, the OpenSSL contexts and the libuv thread pool.
  await serviceVerifyMicros(2_000);
  rawVerifyMicros(5_000);
  await backupAttemptMillis(1, 3);

  const rows: Array<[string, string]> = [];
  rows.push([
    'service.verifyCode, success (memory store, decrypt + 3 HMAC + useStep)',
    `${(await serviceVerifyMicros(verifyIterations)).toFixed(1)} µs`,
  ]);
  rows.push(['verifyTotp, raw (window ±1)', `${rawVerifyMicros(verifyIterations * 5).toFixed(1)} µs`]);
  const one = await backupAttemptMillis(1, backupAttempts);
  const ten = await backupAttemptMillis(10, backupAttempts);
  rows.push(['service.useBackupCode, wrong code, 1 stored', `${one.toFixed(1)} ms`]);
  rows.push(['service.useBackupCode, wrong code, 10 stored', `${ten.toFixed(1)} ms`]);
  rows.push(['ratio 10 / 1 (S18 expects ≈ 1)', (ten / one).toFixed(2)]);
  const rawOne = await hasherMillis(1, backupAttempts);
  const rawTen = await hasherMillis(10, backupAttempts);
  rows.push(['BackupCodeHasher.findMatch, 1 / 10 stored', `${rawOne.toFixed(1)} ms / ${rawTen.toFixed(1)} ms`]);

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    `@secondfactor/core bench — Node ${process.version}, scrypt N=2^${DEFAULT_SCRYPT_PARAMS.log2N} r=${DEFAULT_SCRYPT_PARAMS.r} p=${DEFAULT_SCRYPT_PARAMS.p}`,
  );
  console.log(`(${verifyIterations} verifies, ${backupAttempts} backup-code attempts per row)`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
