/**
 * The queue behind a batching audit sink: events wait here until a batch is full or the delay
 * has passed, and then go to the database in one write. One write runs at a time, and each holds a
 * power-of-two number of events (100 queued go as 64, 32 and 4): a multi-row INSERT's text depends
 * on its row count, and drivers that cache prepared statements by text (TypeORM's better-sqlite3
 * runner keeps 100, first in, first out) would otherwise fill up with one-off texts that push the
 * host's own statements out. A failed write keeps its events and is retried with a growing pause;
 * past `maxQueued` the oldest events are dropped and reported, so an unreachable database cannot
 * grow the heap without end.
 */
import type { TwoFactorEvent } from '@secondfactor/core';

/** Why {@link AuditEventBatch} reports to its `onError`. */
export interface AuditBatchErrorDetail {
  /** Events in the failed write, or dropped. */
  events: number;
  /** True when the events are gone for good (queue full, or the write at close failed). */
  dropped: boolean;
}

/** Options of {@link AuditEventBatch}. */
export interface AuditEventBatchOptions {
  /** Writes one batch; rejects if nothing was written. */
  write(events: readonly TwoFactorEvent[]): Promise<void>;
  /** Longest wait of the first queued event, in ms. */
  delayMs: number;
  /** Most events per write (rounded down to a power of two); a full batch is written at once. */
  size: number;
  /** Most events kept while writes fail. */
  maxQueued: number;
  /** Told about every failed write and every dropped event. */
  onError(error: unknown, detail: AuditBatchErrorDetail): void;
}

/**
 * The largest power of two that is at most `n` (n ≥ 1): the size of the next write.
 */
export function largestPowerOfTwoAtMost(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/** Longest pause between retries of a failing write, in ms. */
const MAX_RETRY_DELAY_MS = 5_000;

/** The queue, the timer and the single in-flight write of a batching sink. */
export class AuditEventBatch {
  private queue: TwoFactorEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private consecutiveFailures = 0;

  constructor(private readonly options: AuditEventBatchOptions) {}

  /** Events waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues one event; a full batch is written at once, else a write is scheduled. */
  add(event: TwoFactorEvent): void {
    this.queue.push(event);
    const overflow = this.queue.length - this.options.maxQueued;
    if (overflow > 0) {
      this.queue.splice(0, overflow);
      this.options.onError(new Error(`audit queue full: dropped the ${overflow} oldest event(s)`), {
        events: overflow,
        dropped: true,
      });
    }
    this.schedule();
  }

  /** Writes everything queued. Rejects with the write's error (the events stay queued and are retried). */
  async flush(): Promise<void> {
    this.cancelTimer();
    while (this.writing || this.queue.length > 0) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      const failure = await this.writeOneBatch();
      if (failure) {
        this.schedule();
        throw failure.error;
      }
    }
  }

  /** Writes everything queued; what cannot be written is reported as dropped. */
  async drain(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.cancelTimer();
      const lost = this.queue.length;
      this.queue = [];
      this.options.onError(error, { events: lost, dropped: true });
    }
  }

  /**
   * Makes sure the queue will be written: now when a batch is full (and writes succeed), after the
   * delay otherwise, after a growing pause while writes fail. A running write reschedules when done.
   */
  private schedule(): void {
    if (this.writing || this.queue.length === 0) return;
    const delayMs =
      this.consecutiveFailures > 0
        ? Math.min(MAX_RETRY_DELAY_MS, this.options.delayMs * 2 ** this.consecutiveFailures)
        : this.queue.length >= this.options.size
          ? 0
          : this.options.delayMs;
    if (this.timer && delayMs > 0) return;
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.writing) return;
      void this.writeOneBatch().then(() => this.schedule());
    }, delayMs);
    // A queued audit event must not keep a finished process alive; drain() at shutdown writes it.
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Writes the oldest batch. Resolves with the error instead of throwing; the batch stays queued on failure. */
  private async writeOneBatch(): Promise<{ error: unknown } | undefined> {
    if (this.queue.length === 0) return undefined;
    const batch = this.queue.slice(0, largestPowerOfTwoAtMost(Math.min(this.options.size, this.queue.length)));
    let outcome: { error: unknown } | undefined;
    const write = this.options.write(batch).then(
      () => {
        // Remove exactly what was written; events queued meanwhile stay behind it.
        this.queue.splice(0, Math.min(batch.length, this.queue.indexOf(batch[batch.length - 1]) + 1));
        this.consecutiveFailures = 0;
      },
      (error: unknown) => {
        this.consecutiveFailures += 1;
        outcome = { error };
        this.options.onError(error, { events: batch.length, dropped: false });
      },
    );
    this.writing = write;
    try {
      await write;
    } finally {
      this.writing = undefined;
    }
    return outcome;
  }
}
