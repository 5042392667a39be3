/** When a kind of notification mail last went to a user, so repeats can be held back (S30). */
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per user and kind of mail. Shared by every instance through the database, so two
 * instances behind a load balancer hold a repeat back as one would (docs/architecture.md#scale-model).
 */
@Entity({ name: 'notification_throttles' })
export class NotificationThrottleRecord {
  /** The user the mail went to, as the 2FA events name it. */
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  /** The kind of mail: the event type that caused it. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kind!: string;

  /** Milliseconds since the epoch of the last mail of this kind. */
  @Column({
    name: 'sent_at',
    type: 'bigint',
    transformer: { to: (value: number) => value, from: (value: string | number) => Number(value) },
  })
  sentAt!: number;
}
