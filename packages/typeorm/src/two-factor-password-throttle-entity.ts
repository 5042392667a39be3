/** The password step's throttle counts (S32), shared by every instance through the database. */
import { EntitySchema } from 'typeorm';
import { INSTANT_COLUMN } from './instant-column';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/**
 * A row of `two_factor_password_throttles`. Account rows (`acct:` and the SHA-256 of the email, so
 * no address is stored) count consecutive wrong passwords and hold the backoff; address rows
 * (`ip:` and the client address) count attempts in a fixed window.
 *
 * @example
 * ```ts
 * import { TwoFactorPasswordThrottleEntity } from '@secondfactor/typeorm';
 * import { MoreThan } from 'typeorm';
 * const waiting = await dataSource.getRepository(TwoFactorPasswordThrottleEntity).countBy({ failures: MoreThan(4) });
 * ```
 */
export class TwoFactorPasswordThrottleEntity {
  /** `acct:<sha256 hex>` or `ip:<address>`, at most 100 characters. */
  key!: string;
  /** Consecutive wrong passwords (account rows). */
  failures!: number;
  /** No password is checked before this instant (account rows); null when there is no wait. */
  nextAttemptAt!: Date | null;
  /** When the current window began (address rows); null on account rows. */
  windowStartedAt!: Date | null;
  /** Attempts counted in the current window (address rows). */
  windowCount!: number;
}

/** The mapping of {@link TwoFactorPasswordThrottleEntity}; every column has an explicit type and name. */
export const twoFactorPasswordThrottleSchema = new EntitySchema<TwoFactorPasswordThrottleEntity>({
  name: 'TwoFactorPasswordThrottleEntity',
  target: TwoFactorPasswordThrottleEntity,
  tableName: TWO_FACTOR_TABLE_NAMES.passwordThrottles,
  columns: {
    key: { name: 'throttle_key', type: 'varchar', length: 100, primary: true },
    failures: { name: 'failures', type: 'int' },
    nextAttemptAt: { name: 'next_attempt_at', ...INSTANT_COLUMN, nullable: true },
    windowStartedAt: { name: 'window_started_at', ...INSTANT_COLUMN, nullable: true },
    windowCount: { name: 'window_count', type: 'int' },
  },
});
