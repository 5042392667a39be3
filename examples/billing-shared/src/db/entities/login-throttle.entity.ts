/** The password step's throttle state (S32): one row per account key or client address. */
import { Column, Entity, PrimaryColumn } from 'typeorm';

const MILLISECONDS = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * A throttle row, shared by every instance through the database (docs/architecture.md#scale-model). Account rows
 * (`acct:<hash of the email>`) count consecutive failures; address rows (`ip:<address>`) count
 * attempts in a fixed window.
 */
@Entity({ name: 'login_throttles' })
export class LoginThrottleRecord {
  @PrimaryColumn({ name: 'throttle_key', type: 'varchar', length: 100 })
  key!: string;

  /** Consecutive wrong passwords (account rows). */
  @Column({ type: 'integer', default: 0 })
  failures!: number;

  /** Milliseconds since the epoch before which the account gets no attempt (backoff). */
  @Column({ name: 'next_attempt_at', type: 'bigint', default: 0, transformer: MILLISECONDS })
  nextAttemptAt!: number;

  /** Milliseconds since the epoch when the address's current window began. */
  @Column({ name: 'window_started_at', type: 'bigint', default: 0, transformer: MILLISECONDS })
  windowStartedAt!: number;

  /** Attempts from the address in the current window. */
  @Column({ name: 'window_count', type: 'integer', default: 0 })
  windowCount!: number;
}
