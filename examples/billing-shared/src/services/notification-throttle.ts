/**
 * Holds back repeats of a notification mail (S30): at most one mail of a kind per user in a window,
 * decided in the database by conditional writes, never in process memory, so instances agree.
 */
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { NotificationThrottleRecord } from '../db/entities/notification-throttle.entity';

/** Input of {@link NotificationThrottle.claim}. */
export interface NotificationClaim {
  userId: string;
  /** The kind of mail, e.g. the event type `code.replayed`. */
  kind: string;
  /** When the mail would go out (the event's time). */
  at: Date;
  /** No second mail of this kind to this user within this many ms. */
  windowMs: number;
}

/**
 * The `notification_throttles` table as a gate for mails.
 */
export class NotificationThrottle {
  private readonly rows: Repository<NotificationThrottleRecord>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(NotificationThrottleRecord);
  }

  /**
   * Whether this caller may send the mail now. Of any number of parallel claims, on one instance or
   * many, at most one per window answers true: an existing row moves only by an update conditional
   * on its last send being a whole window old, and a missing row is created by exactly one insert
   * (the primary key refuses the others).
   */
  async claim(input: NotificationClaim): Promise<boolean> {
    const sentAt = input.at.getTime();
    const moved = await this.rows
      .createQueryBuilder()
      .update()
      .set({ sentAt })
      .where('user_id = :userId AND kind = :kind AND sent_at <= :cutoff', {
        userId: input.userId,
        kind: input.kind,
        cutoff: sentAt - input.windowMs,
      })
      .execute();
    if ((moved.affected ?? 0) > 0) return true;
    try {
      await this.rows.insert({ userId: input.userId, kind: input.kind, sentAt });
      return true;
    } catch (error) {
      // The row exists and is recent, or a parallel claim just made it: that claim sends.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
