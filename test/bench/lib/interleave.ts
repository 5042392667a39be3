/**
 * Runs contenders in interleaved rounds (A B C D, B C D A, …) so that machine noise (another
 * process, a CPU frequency change, a GC of the harness) hits every contender alike. Each round
 * gives every contender one timed batch; a run is a fixed number of rounds; the caller takes the
 * median over runs.
 */
import { elapsedNs } from './stats';

/** One thing being measured. `batch(n)` performs n operations and is the only timed part. */
export interface Contender {
  /** Stable id, used as the key of the results. */
  id: string;
  /** Untimed work before each batch of n operations (fresh codes, counter resets). */
  beforeBatch?(n: number): void | Promise<void>;
  /** Performs exactly n operations. It should throw if an operation gives an unexpected result. */
  batch(n: number): void | Promise<void>;
}

/** How long and how often to measure. */
export interface InterleaveOptions {
  /** Independent runs; the report uses their median. */
  runs: number;
  /** Rounds per run; every contender gets one batch per round. */
  rounds: number;
  /** Target duration of one batch, in milliseconds (the batch size is calibrated to it). */
  batchMs: number;
  /** Called after every run, for progress output. */
  onRun?: (run: number, perContender: Record<string, OpsMeasurement>) => void;
}

/** Operations and the nanoseconds they took, summed over the rounds of one run. */
export interface OpsMeasurement {
  ops: number;
  ns: number;
}

/**
 * Operations per second of a measurement.
 */
export function opsPerSecond(m: OpsMeasurement): number {
  return m.ns === 0 ? 0 : (m.ops * 1e9) / m.ns;
}

async function timeBatch(contender: Contender, n: number): Promise<number> {
  await contender.beforeBatch?.(n);
  const start = process.hrtime.bigint();
  const result = contender.batch(n);
  if (result instanceof Promise) await result;
  return elapsedNs(start);
}

/** Finds a batch size whose duration is close to `batchMs`; it also warms the JIT up. */
async function calibrate(contender: Contender, batchMs: number): Promise<number> {
  const targetNs = batchMs * 1e6;
  let n = 1;
  while (n < 1 << 22 && (await timeBatch(contender, n)) < targetNs / 4) n *= 2;
  // The median of three timings at that size, so one preempted batch does not shrink every batch.
  const timings = [await timeBatch(contender, n), await timeBatch(contender, n), await timeBatch(contender, n)].sort(
    (a, b) => a - b,
  );
  const sized = Math.max(1, Math.round((n * targetNs) / Math.max(timings[1], 1)));
  await timeBatch(contender, sized);
  return sized;
}

/**
 * Measures the contenders in interleaved rounds. Returns, per run, each contender's summed
 * operations and time. The start of each round rotates, so no contender always runs first.
 */
export async function interleave(
  contenders: readonly Contender[],
  options: InterleaveOptions,
): Promise<Array<Record<string, OpsMeasurement>>> {
  const sizes = new Map<string, number>();
  for (const contender of contenders) sizes.set(contender.id, await calibrate(contender, options.batchMs));
  const results: Array<Record<string, OpsMeasurement>> = [];
  for (let run = 0; run < options.runs; run++) {
    const perContender: Record<string, OpsMeasurement> = Object.fromEntries(
      contenders.map((c) => [c.id, { ops: 0, ns: 0 }]),
    );
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(k + round + run) % contenders.length];
        const n = sizes.get(contender.id) as number;
        perContender[contender.id].ns += await timeBatch(contender, n);
        perContender[contender.id].ops += n;
      }
    }
    results.push(perContender);
    options.onRun?.(run + 1, perContender);
  }
  return results;
}
