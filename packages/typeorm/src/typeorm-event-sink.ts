/**
 * The audit sink: writes core's events to `two_factor_audit_events` (S26, S27), each before the
 * service's call returns, or, for the event types the host chooses, in batches off the request path.
 */
import {
  ConfigurationError,
  TwoFactorEventType,
  type TwoFactorEvent,
  type TwoFactorEventSink,
  type TwoFactorEventTypeValue,
} from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import { AuditEventBatch, type AuditBatchErrorDetail } from './audit-event-batch';
import { insertAuditRows } from './audit-event-rows';
import { StoreDatabase } from './store-database';

/**
 * Options of {@link createTypeOrmEventSink}. Without `batched`, every event is one awaited INSERT.
 *
 * @example
 * ```ts
 * const options: TypeOrmEventSinkOptions = { batched: ['code.verified'], batchDelayMs: 100 };
 * ```
 */
export interface TypeOrmEventSinkOptions {
  /**
   * Event types written in batches: the sink queues them and returns at once, and a background
   * write inserts up to `batchSize` of them in one statement. Meant for the high-volume success
   * event `code.verified`. The trade: a crash loses what is queued (at most `batchDelayMs` worth
   * while the database answers), so keep failures, locks and state changes out of it. Default none.
   */
  batched?: readonly TwoFactorEventTypeValue[];
  /** Longest an event waits in the queue, in ms. Default 100; 1 to 60,000. */
  batchDelayMs?: number;
  /**
   * Most events per INSERT; a full batch is written at once. Each INSERT holds a power of two
   * (100 queued go as 64, 32 and 4), so only a few statement texts exist for a driver's statement
   * cache. Default 100; 1 to 1,000.
   */
  batchSize?: number;
  /**
   * Most events kept while the database refuses writes; past it the oldest are dropped and
   * reported. Default 10,000.
   */
  maxQueued?: number;
  /**
   * Told about each failed batch write (its events stay queued and are retried with a growing
   * pause, up to 5 s) and about dropped events. It never sees event contents. Default: one
   * `console.error` line.
   */
  onBatchError?: (error: unknown, detail: AuditBatchErrorDetail) => void;
}

/**
 * A {@link TwoFactorEventSink} that writes the audit table, with the controls of its batch.
 *
 * @example
 * ```ts
 * const audit: TypeOrmEventSink = createTypeOrmEventSink(dataSource, { batched: ['code.verified'] });
 * await audit.close(); // at shutdown, before dataSource.destroy()
 * ```
 */
export interface TypeOrmEventSink extends TwoFactorEventSink {
  /** Writes every queued event now. Rejects if the database refuses; the events stay queued. */
  flush(): Promise<void>;
  /**
   * Writes every queued event and stops batching: later events are written one by one before the
   * call returns. Never rejects; events that could not be written go to `onBatchError` as dropped.
   */
  close(): Promise<void>;
  /** Events queued and not yet written. */
  readonly pending: number;
}

const KNOWN_TYPES = new Set<string>(Object.values(TwoFactorEventType));

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`createTypeOrmEventSink: ${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function batchedTypes(batched: readonly string[] | undefined): ReadonlySet<string> {
  if (batched === undefined) return new Set();
  if (!Array.isArray(batched))
    throw new ConfigurationError('createTypeOrmEventSink: batched must be an array of event types.');
  for (const type of batched) {
    if (!KNOWN_TYPES.has(type))
      throw new ConfigurationError(`createTypeOrmEventSink: "${String(type)}" is not a two-factor event type.`);
  }
  return new Set(batched);
}

/**
 * One log line for an `onBatchError` report: how many events, whether they are lost or will be
 * retried, and the error's message (never event contents).
 *
 * @example
 * ```ts
 * createTypeOrmEventSink(dataSource, {
 *   batched: ['code.verified'],
 *   onBatchError: (e, d) => log.warn(describeAuditBatchError(e, d)),
 * });
 * ```
 */
export function describeAuditBatchError(error: unknown, detail: AuditBatchErrorDetail): string {
  const what = detail.dropped
    ? `dropped ${detail.events} audit event(s)`
    : `could not write ${detail.events} audit event(s), will retry`;
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

function logBatchError(error: unknown, detail: AuditBatchErrorDetail): void {
  console.error(`secondfactor: ${describeAuditBatchError(error, detail)}`);
}

/**
 * An event sink for `TwoFactorService`'s `onEvent` that inserts one audit row per event.
 *
 * By default each event is written before the sink returns, so the row exists when the service's
 * call resolves. Types named in `options.batched` are queued instead and written in multi-row
 * INSERTs (see {@link TypeOrmEventSinkOptions}); call `close()` at shutdown, before destroying the
 * DataSource, so the queue reaches the table.
 *
 * @example
 * ```ts
 * import { createTypeOrmEventSink, TypeOrmTwoFactorStore } from '@secondfactor/typeorm';
 * const audit = createTypeOrmEventSink(dataSource, { batched: ['code.verified'] });
 * const service = new TwoFactorService({
 *   store: new TypeOrmTwoFactorStore(dataSource),
 *   onEvent: [audit, notifyUser],
 *   keyring, issuer: 'Acme Billing', verifyPassword,
 * });
 * // at shutdown
 * await audit.close();
 * await dataSource.destroy();
 * ```
 */
export function createTypeOrmEventSink(
  dataSource: DataSource,
  options: TypeOrmEventSinkOptions = {},
): TypeOrmEventSink {
  const db = new StoreDatabase(dataSource);
  const batched = batchedTypes(options.batched);
  const batch = new AuditEventBatch({
    write: (events) => insertAuditRows(db, events),
    delayMs: integerOption('batchDelayMs', options.batchDelayMs, 100, 1, 60_000),
    size: integerOption('batchSize', options.batchSize, 100, 1, 1_000),
    maxQueued: integerOption('maxQueued', options.maxQueued, 10_000, 1, 1_000_000),
    onError: options.onBatchError ?? logBatchError,
  });
  let closed = false;
  const sink = async (event: TwoFactorEvent): Promise<void> => {
    if (!closed && batched.has(event.type)) batch.add(event);
    else await insertAuditRows(db, [event]);
  };
  return Object.defineProperties(sink, {
    flush: { value: () => batch.flush() },
    close: {
      value: async () => {
        closed = true;
        await batch.drain();
      },
    },
    pending: { get: () => batch.pending },
  }) as TypeOrmEventSink;
}
