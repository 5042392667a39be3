/**
 * How core's events become rows of `two_factor_audit_events` (S26, S27). Only named fields are
 * copied, so nothing but who, what, why and request metadata can reach the table: never a code or
 * a secret.
 */
import { randomUUID } from 'node:crypto';
import type { TwoFactorEvent } from '@secondfactor/core';
import type { StoreDatabase } from './store-database';
import { twoFactorAuditEventSchema } from './two-factor-audit-event-entity';

/** The audit table's columns, in insert order. */
export const AUDIT_COLUMNS =
  'id, type, user_id, actor_id, method, reason, failure_count, retry_after_seconds, ip, user_agent, occurred_at';

/** The parameter names of one row, in {@link AUDIT_COLUMNS} order. */
const ROW_PARAMETERS = [
  'id',
  'type',
  'userId',
  'actorId',
  'method',
  'reason',
  'failureCount',
  'retryAfterSeconds',
  'ip',
  'userAgent',
  'occurredAt',
] as const;

type AuditRow = Record<(typeof ROW_PARAMETERS)[number], unknown>;

/** Request metadata is client-controlled: cut it to the column width rather than lose the event. */
function clip(value: unknown, length: number): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  return value.length > length ? value.slice(0, length) : value;
}

function wholeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function auditRowOf(event: TwoFactorEvent): AuditRow {
  return {
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
  };
}

/** Inserts the events as rows in one statement (one row per event, each with a fresh id). */
export async function insertAuditRows(db: StoreDatabase, events: readonly TwoFactorEvent[]): Promise<void> {
  if (events.length === 0) return;
  const params: Record<string, unknown> = {};
  const tuples = events.map((event, index) => {
    const row = auditRowOf(event);
    const names = ROW_PARAMETERS.map((name) => {
      params[`${name}${index}`] = row[name];
      return `:${name}${index}`;
    });
    return `(${names.join(', ')})`;
  });
  await db.run(
    `
      INSERT INTO ${db.table(twoFactorAuditEventSchema)} (${AUDIT_COLUMNS})
      VALUES ${tuples.join(',\n        ')}`,
    params,
  );
}
