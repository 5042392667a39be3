/**
 * Writes core's events to `two_factor_audit_events` (S26, S27). Only named fields are copied, so
 * nothing but who, what, why and request metadata can reach the table: never a code or a secret.
 */
import { randomUUID } from 'node:crypto';
import type { TwoFactorEvent, TwoFactorEventSink } from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import { StoreDatabase } from './store-database';
import { twoFactorAuditEventSchema, type TwoFactorAuditEventEntity } from './two-factor-audit-event-entity';

const AUDIT_COLUMNS = 'id, type, user_id, actor_id, method, reason, failure_count, retry_after_seconds, ip, user_agent, occurred_at';

/** Request metadata is client-controlled: cut it to the column width rather than lose the event. */
function clip(value: unknown, length: number): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  return value.length > length ? value.slice(0, length) : value;
}

function wholeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/**
 * An event sink for `TwoFactorService`'s `onEvent` that inserts one audit row per event.
 *
 * @example
 * ```ts
 * import { createTypeOrmEventSink, TypeOrmTwoFactorStore } from '@secondfactor/typeorm';
 * const service = new TwoFactorService({
 *   store: new TypeOrmTwoFactorStore(dataSource),
 *   onEvent: [createTypeOrmEventSink(dataSource), notifyUser],
 *   keyring, issuer: 'Acme Billing', verifyPassword,
 * });
 * ```
 */
export function createTypeOrmEventSink(dataSource: DataSource): TwoFactorEventSink {
  const db = new StoreDatabase(dataSource);
  return async (event: TwoFactorEvent) => {
    await db.run(
      `INSERT INTO ${db.table(twoFactorAuditEventSchema)} (${AUDIT_COLUMNS}) VALUES (:id, :type, :userId, :actorId, :method, :reason, :failureCount, :retryAfterSeconds, :ip, :userAgent, :occurredAt)`,
      {
        id: randomUUID(),
        type: clip(event.type, 64),
        userId: clip(event.userId, 255),
        actorId: clip(event.actorId, 255),
        method: clip(event.method, 16),
        reason: clip(event.reason, 64),
        failureCount: wholeNumber(event.failureCount),
        retryAfterSeconds: wholeNumber(event.retryAfterSeconds),
        ip: clip(event.ip, 64),
        userAgent: clip(event.userAgent, 512),
        occurredAt: event.at instanceof Date && !Number.isNaN(event.at.getTime()) ? event.at : new Date(),
      },
    );
  };
}

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
export async function listTwoFactorEvents(dataSource: DataSource, options: ListTwoFactorEventsOptions): Promise<StoredTwoFactorEvent[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new RangeError('limit must be an integer from 1 to 500.');
  const db = new StoreDatabase(dataSource);
  // LIMIT is inlined as a validated integer: MySQL prepared statements are picky about bound LIMITs.
  const { rows } = await db.run(
    `SELECT ${AUDIT_COLUMNS} FROM ${db.table(twoFactorAuditEventSchema)} WHERE user_id = :userId ORDER BY occurred_at DESC, id DESC LIMIT ${limit}`,
    { userId: options.userId },
  );
  return rows.map((row) => {
    const entity = db.hydrate<TwoFactorAuditEventEntity>(twoFactorAuditEventSchema, row);
    return { ...entity, failureCount: entity.failureCount === null ? null : Number(entity.failureCount), retryAfterSeconds: entity.retryAfterSeconds === null ? null : Number(entity.retryAfterSeconds) };
  });
}
