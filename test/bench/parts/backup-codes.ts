/**
 * Part 2: the cost of one backup-code attempt with 1 and with 10 unused codes. Every code of a set
 * shares one salt, so an attempt costs one scrypt evaluation whatever the count (S18); the ratio
 * of the two should stay close to 1. Measured on the hasher alone and through the service (which
 * adds the store reads and the failure counter), with a wrong code, the attacker's case.
 */
import {
  BackupCodeHasher,
  generateBackupCode,
  generateTotp,
  Keyring,
  MemoryTwoFactorStore,
  normalizeBackupCode,
  base32Decode,
  TwoFactorService,
} from '@secondfactor/core';
import { interleave, opsPerSecond, type Contender } from '../lib/interleave';
import { median } from '../lib/stats';

/** One count's figures. */
export interface BackupCodeRow {
  id: string;
  label: string;
  codes: number;
  /** Median milliseconds per attempt. */
  msPerAttempt: number;
  /** Milliseconds per attempt in each run. */
  msPerAttemptRuns: number[];
}

/** What part 2 reports: rows and the 10-vs-1 ratios (median over runs of the per-run ratio). */
export interface BackupCodeResult {
  runs: number;
  rows: BackupCodeRow[];
  hasherRatio: number;
  serviceRatio: number;
}

function wrongCodeFor(codes: readonly string[]): string {
  for (;;) {
    const candidate = generateBackupCode();
    if (!codes.includes(candidate)) return candidate;
  }
}

async function enrolledService(
  count: number,
): Promise<{ service: TwoFactorService; store: MemoryTwoFactorStore; credentialId: string; backupCodes: string[] }> {
  const store = new MemoryTwoFactorStore({ quiet: true });
  // A generous throttle, and a reset before every batch: the bench measures the KDF path, which
  // the default policy would stop evaluating after 3 wrong attempts (S16).
  const service = new TwoFactorService({
    store,
    keyring: Keyring.parse(`bench:${Buffer.alloc(32, 3).toString('base64')}`),
    issuer: 'Bench',
    verifyPassword: () => true,
    backupCodeCount: count,
    throttle: { freeAttempts: 100, maxFailures: 100 },
  });
  const started = await service.beginEnrollment({ userId: 'u', accountName: 'u@example.com' });
  if (!started.ok) throw new Error(`backup: enrollment failed: ${started.error.code}`);
  const confirmed = await service.confirmEnrollment({
    userId: 'u',
    code: generateTotp({ secret: base32Decode(started.secret) as Buffer, timeMs: Date.now() }),
  });
  if (!confirmed.ok) throw new Error(`backup: confirmation failed: ${confirmed.error.code}`);
  const credential = await store.findByUserId('u');
  return { service, store, credentialId: (credential as { id: string }).id, backupCodes: confirmed.backupCodes };
}

/**
 * Measures part 2.
 */
export async function runBackupCodes(options: {
  runs: number;
  rounds: number;
  batchMs: number;
  log?: (line: string) => void;
}): Promise<BackupCodeResult> {
  const hasher = new BackupCodeHasher();
  const contenders: Contender[] = [];
  const labels: Record<string, { label: string; codes: number }> = {};
  for (const count of [1, 10]) {
    const codes = Array.from({ length: count }, generateBackupCode);
    const hashes = await hasher.hashSet(codes);
    const wrong = (normalizeBackupCode(wrongCodeFor(codes)) as { value: string }).value;
    const hasherId = `hasher-${count}`;
    labels[hasherId] = { label: `BackupCodeHasher.findMatch, ${count} stored`, codes: count };
    contenders.push({
      id: hasherId,
      async batch(n) {
        for (let i = 0; i < n; i++)
          if ((await hasher.findMatch(wrong, hashes)) !== null) throw new Error('backup: a wrong code matched');
      },
    });

    const enrolled = await enrolledService(count);
    const wrongFormatted = wrongCodeFor(enrolled.backupCodes);
    const serviceId = `service-${count}`;
    labels[serviceId] = { label: `TwoFactorService.useBackupCode (memory store), ${count} unused`, codes: count };
    contenders.push({
      id: serviceId,
      beforeBatch: async () => {
        await enrolled.store.resetFailures(enrolled.credentialId, new Date());
      },
      async batch(n) {
        for (let i = 0; i < n; i++) {
          const outcome = await enrolled.service.useBackupCode({ userId: 'u', backupCode: wrongFormatted });
          if (outcome.ok || outcome.reason !== 'invalid_code')
            throw new Error(`backup: expected invalid_code, got ${outcome.ok ? 'success' : outcome.reason}`);
        }
      },
    });
  }

  const runs = await interleave(contenders, {
    runs: options.runs,
    rounds: options.rounds,
    batchMs: options.batchMs,
    onRun: (run, m) =>
      options.log?.(
        `backup codes run ${run}/${options.runs}: 1 code ${(1000 / opsPerSecond(m['hasher-1'])).toFixed(1)} ms, 10 codes ${(1000 / opsPerSecond(m['hasher-10'])).toFixed(1)} ms`,
      ),
  });
  const ms = (r: (typeof runs)[number], id: string): number => 1000 / opsPerSecond(r[id]);
  const rows = contenders.map(({ id }) => {
    const perRun = runs.map((r) => ms(r, id));
    return {
      id,
      label: labels[id].label,
      codes: labels[id].codes,
      msPerAttempt: median(perRun),
      msPerAttemptRuns: perRun,
    };
  });
  return {
    runs: options.runs,
    rows,
    hasherRatio: median(runs.map((r) => ms(r, 'hasher-10') / ms(r, 'hasher-1'))),
    serviceRatio: median(runs.map((r) => ms(r, 'service-10') / ms(r, 'service-1'))),
  };
}
