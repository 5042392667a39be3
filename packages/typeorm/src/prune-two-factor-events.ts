/**
 * Audit retention (S37): deletes the audit events older than a cut, oldest first, in bounded
 * batches. Each batch is one short statement on its own (no transaction spans batches), found
 * through the `occurred_at` index, so sign-ins writing their own audit rows never wait long behind
 * a prune, whatever the size of the backlog.
 */
import { ConfigurationError } from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import { StoreDatabase } from './store-database';
import { twoFactorAuditEventSchema } from './two-factor-audit-event-entity';

/** Rows one statement deletes unless told otherwise. */
const DEFAULT_BATCH_SIZE = 5_000;
const MAX_BATCH_SIZE = 50_000;
/** A pause longer than a minute between batches is a typo, not pacing. */
const MAX_PAUSE_MS = 60_000;

/**
 * What a {@link pruneTwoFactorEvents} run deleted, in total and in how many statements.
 *
 * @example
 * ```ts
 * const { deleted, batches }: PrunedTwoFactorEvents = await pruneTwoFactorEvents(dataSource, { olderThan });
 * ```
 */
export interface PrunedTwoFactorEvents {
  /** Audit rows deleted. */
  deleted: number;
  /** DELETE statements run (the last one deleted fewer than a full batch, often none). */
  batches: number;
}

/**
 * Options for {@link pruneTwoFactorEvents}.
 *
 * @example
 * ```ts
 * const options: PruneTwoFactorEventsOptions = { olderThan: new Date(Date.now() - 400 * 86_400_000) };
 * ```
 */
export interface PruneTwoFactorEventsOptions {
  /** Events that occurred before this instant are deleted; later ones stay. */
  olderThan: Date;
  /** Most rows one statement deletes. Default 5,000; 1 to 50,000. */
  batchSize?: number;
  /**
   * Milliseconds to wait after each full batch before the next one, so that the database serves
   * the sign-ins queued behind a batch before the prune takes it again. Default 0 (back to back,
   * for a quiet hour); 0 to 60,000. On a database that serves sign-ins while the prune runs,
   * `{ batchSize: 1000, pauseMs: 100 }` leaves them room between batches (measured in docs/performance.md).
   */
  pauseMs?: number;
  /** Called after each batch with the totals so far and what that batch deleted. */
  onProgress?: (progress: PrunedTwoFactorEvents & { lastBatch: number }) => void;
}

/** One batch: at most `limit` of the oldest rows before the cut, as one statement for the dialect. */
function batchStatement(db: StoreDatabase, limit: number): string {
  const table = db.table(twoFactorAuditEventSchema);
  // LIMIT is inlined as a validated integer, as elsewhere. MariaDB deletes with ORDER BY and LIMIT
  // directly (it refuses LIMIT in an IN subquery); SQLite and PostgreSQL have no DELETE … LIMIT,
  // so they pick the batch's ids in a bounded subquery on the same index.
  if (db.dialect === 'mysql')
    return `
      DELETE FROM ${table}
      WHERE occurred_at < :olderThan
      ORDER BY occurred_at
      LIMIT ${limit}`;
  return `
    DELETE FROM ${table}
    WHERE id IN (
      SELECT id
      FROM ${table}
      WHERE occurred_at < :olderThan
      ORDER BY occurred_at
      LIMIT ${limit}
    )`;
}

/**
 * Deletes the two-factor audit events that occurred before `olderThan`, in batches of at most
 * `batchSize` rows, oldest first, and says how many went. Run it from a scheduled job (or the
 * `secondfactor-typeorm prune-events` CLI); a run that stops half-way leaves a consistent table
 * and the next run carries on. Needs the `occurred_at` index of {@link twoFactorMigrations}.
 *
 * @example
 * ```ts
 * import { pruneTwoFactorEvents } from '@secondfactor/typeorm';
 * const retentionDays = 400;
 * const { deleted } = await pruneTwoFactorEvents(dataSource, {
 *   olderThan: new Date(Date.now() - retentionDays * 86_400_000),
 * });
 * console.log(`pruned ${deleted} audit events`);
 * ```
 */
export async function pruneTwoFactorEvents(
  dataSource: DataSource,
  options: PruneTwoFactorEventsOptions,
): Promise<PrunedTwoFactorEvents> {
  const { olderThan, onProgress } = options;
  if (!(olderThan instanceof Date) || Number.isNaN(olderThan.getTime()))
    throw new ConfigurationError('olderThan must be a valid Date.');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE)
    throw new ConfigurationError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}.`);
  const pauseMs = options.pauseMs ?? 0;
  if (!Number.isInteger(pauseMs) || pauseMs < 0 || pauseMs > MAX_PAUSE_MS)
    throw new ConfigurationError(`pauseMs must be an integer from 0 to ${MAX_PAUSE_MS}.`);
  const db = new StoreDatabase(dataSource);
  const sql = batchStatement(db, batchSize);
  const totals: PrunedTwoFactorEvents = { deleted: 0, batches: 0 };
  for (;;) {
    // One autocommit statement per batch: its locks end with it, before the next batch starts.
    const { affected } = await db.run(sql, { olderThan });
    totals.deleted += affected;
    totals.batches += 1;
    onProgress?.({ ...totals, lastBatch: affected });
    if (affected < batchSize) return totals;
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
