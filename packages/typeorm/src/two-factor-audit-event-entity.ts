/** The audit trail written by `createTypeOrmEventSink` (S26, S27). */
import { EntitySchema } from 'typeorm';
import { AUDIT_RETENTION_INDEX } from './add-two-factor-audit-retention-index-migration';
import { INSTANT_COLUMN } from './instant-column';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/**
 * One two-factor event as stored in `two_factor_audit_events`: who, what, why and request
 * metadata. It has no column that could hold a code, secret or backup code (S27).
 *
 * @example
 * ```ts
 * import { TwoFactorAuditEventEntity } from '@secondfactor/typeorm';
 * const history = await dataSource.getRepository(TwoFactorAuditEventEntity).find({
 *   where: { userId: '42' },
 *   order: { occurredAt: 'DESC' },
 *   take: 20,
 * });
 * ```
 */
export class TwoFactorAuditEventEntity {
  id!: string;
  /** The event type, e.g. `code.failed` (core's `TwoFactorEventType`). */
  type!: string;
  /** The subject user. */
  userId!: string;
  /** The support user who acted, for admin actions. */
  actorId!: string | null;
  method!: string | null;
  reason!: string | null;
  failureCount!: number | null;
  retryAfterSeconds!: number | null;
  ip!: string | null;
  userAgent!: string | null;
  /** When it happened, from the service's clock. */
  occurredAt!: Date;
}

/** The mapping of {@link TwoFactorAuditEventEntity}, indexed for one user's history and for retention. */
export const twoFactorAuditEventSchema = new EntitySchema<TwoFactorAuditEventEntity>({
  name: 'TwoFactorAuditEventEntity',
  target: TwoFactorAuditEventEntity,
  tableName: TWO_FACTOR_TABLE_NAMES.auditEvents,
  columns: {
    id: { name: 'id', type: 'varchar', length: 36, primary: true },
    type: { name: 'type', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 255 },
    actorId: { name: 'actor_id', type: 'varchar', length: 255, nullable: true },
    method: { name: 'method', type: 'varchar', length: 16, nullable: true },
    reason: { name: 'reason', type: 'varchar', length: 64, nullable: true },
    failureCount: { name: 'failure_count', type: 'int', nullable: true },
    retryAfterSeconds: { name: 'retry_after_seconds', type: 'int', nullable: true },
    ip: { name: 'ip', type: 'varchar', length: 64, nullable: true },
    userAgent: { name: 'user_agent', type: 'varchar', length: 512, nullable: true },
    occurredAt: { name: 'occurred_at', ...INSTANT_COLUMN },
  },
  indices: [
    { name: 'IDX_two_factor_audit_events_user_id_occurred_at', columns: ['userId', 'occurredAt'] },
    // S37: retention deletes the oldest events by a range scan on this index.
    { name: AUDIT_RETENTION_INDEX, columns: ['occurredAt'] },
  ],
});
