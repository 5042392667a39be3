/** The audit trail written by `createTypeOrmEventSink` (S26, S27). */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/**
 * One two-factor event as stored in `two_factor_audit_events`: who, what, why and request
 * metadata. It has no column that could hold a code, secret or backup code (S27).
 *
 * @example
 * ```ts
 * import { TwoFactorAuditEventEntity } from '@secondfactor/typeorm';
 * const history = await dataSource.getRepository(TwoFactorAuditEventEntity).find({ where: { userId: '42' }, order: { occurredAt: 'DESC' }, take: 20 });
 * ```
 */
@Entity({ name: TWO_FACTOR_TABLE_NAMES.auditEvents })
@Index('IDX_two_factor_audit_events_user_id_occurred_at', ['userId', 'occurredAt'])
export class TwoFactorAuditEventEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  /** The event type, e.g. `code.failed` (core's `TwoFactorEventType`). */
  @Column({ name: 'type', type: 'varchar', length: 64 })
  type!: string;

  /** The subject user. */
  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  /** The support user who acted, for admin actions. */
  @Column({ name: 'actor_id', type: 'varchar', length: 255, nullable: true })
  actorId!: string | null;

  @Column({ name: 'method', type: 'varchar', length: 16, nullable: true })
  method!: string | null;

  @Column({ name: 'reason', type: 'varchar', length: 64, nullable: true })
  reason!: string | null;

  @Column({ name: 'failure_count', type: 'int', nullable: true })
  failureCount!: number | null;

  @Column({ name: 'retry_after_seconds', type: 'int', nullable: true })
  retryAfterSeconds!: number | null;

  @Column({ name: 'ip', type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  /** When it happened, from the service's clock. */
  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;
}
