/** Reads one user's audit history back from `two_factor_audit_events` (S26). */
import type { DataSource } from 'typeorm';
import { AUDIT_COLUMNS } from './audit-event-rows';
import { StoreDatabase } from './store-database';
import { twoFactorAuditEventSchema, type TwoFactorAuditEventEntity } from './two-factor-audit-event-entity';

/**
 * Options for {@link listTwoFactorEvents}.
 *
 * @example
 * ```ts
 * const options: ListTwoFactorEventsOptions = { userId: '42', limit: 20 };
 * ```
 */
export interface ListTwoFactorEventsOptions {
  /** The subject user. */
  userId: string;
  /** At most this many events, newest first. Default 50, at most 500. */
  limit?: number;
}

/**
 * One stored audit event, as {@link listTwoFactorEvents} returns it.
 *
 * @example
 * ```ts
 * const [latest]: StoredTwoFactorEvent[] = await listTwoFactorEvents(dataSource, { userId: '42', limit: 1 });
 * ```
 */
export interface StoredTwoFactorEvent {
  id: string;
  type: string;
  userId: string;
  actorId: string | null;
  method: string | null;
  reason: string | null;
  failureCount: number | null;
  retryAfterSeconds: number | null;
  ip: string | null;
  userAgent: string | null;
  occurredAt: Date;
}

/**
 * One user's two-factor history, newest first, read through the `(user_id, occurred_at)` index.
 *
 * @example
 * ```ts
 * import { listTwoFactorEvents } from '@secondfactor/typeorm';
 * const recent = await listTwoFactorEvents(dataSource, { userId: '42', limit: 20 });
 * recent[0]?.type; // e.g. 'code.verified'
 * ```
 */
export async function listTwoFactorEvents(
  dataSource: DataSource,
  options: ListTwoFactorEventsOptions,
): Promise<StoredTwoFactorEvent[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new RangeError('limit must be an integer from 1 to 500.');
  const db = new StoreDatabase(dataSource);
  // LIMIT is inlined as a validated integer: MySQL prepared statements are picky about bound LIMITs.
  const { rows } = await db.run(
    `
      SELECT ${AUDIT_COLUMNS}
      FROM ${db.table(twoFactorAuditEventSchema)}
      WHERE user_id = :userId
      ORDER BY occurred_at DESC, id DESC
      LIMIT ${limit}`,
    { userId: options.userId },
  );
  return rows.map((row) => {
    const entity = db.hydrate<TwoFactorAuditEventEntity>(twoFactorAuditEventSchema, row);
    return {
      ...entity,
      failureCount: entity.failureCount === null ? null : Number(entity.failureCount),
      retryAfterSeconds: entity.retryAfterSeconds === null ? null : Number(entity.retryAfterSeconds),
    };
  });
}
