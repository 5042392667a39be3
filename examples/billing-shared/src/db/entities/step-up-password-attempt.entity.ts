/** The per-account failure count of step-up passwords of users without 2FA (S29, S35). */
import { Column, Entity, PrimaryColumn } from 'typeorm';

const bigintMs = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * One row per user who typed a step-up password: consecutive failures and the backoff, in the
 * database so every instance and every session of the user shares them (docs/architecture.md#scale-model).
 *
 * @example
 * ```ts
 * await dataSource.getRepository(StepUpPasswordAttempt).findOneBy({ userId: '7' });
 * ```
 */
@Entity({ name: 'step_up_password_attempts' })
export class StepUpPasswordAttempt {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  /** Consecutive wrong passwords (and attempts still being checked). */
  @Column({ name: 'failure_count', type: 'integer' })
  failureCount!: number;

  /** Milliseconds since the epoch before which no password is checked. */
  @Column({ name: 'blocked_until', type: 'bigint', transformer: bigintMs })
  blockedUntil!: number;
}
