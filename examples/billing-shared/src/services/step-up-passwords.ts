/**
 * The password check of "Confirm it's you" for users without 2FA (S35), throttled per account as
 * S29 asks of every password re-authentication: each attempt is counted in the database before the
 * password is checked (a parallel burst gets no more checks than the same guesses in sequence),
 * three failures are free, then a backoff doubles from 2 s up to 15 min. There is no lock an
 * attacker could trigger; success resets the count.
 */
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { StepUpPasswordAttempt } from '../db/entities/step-up-password-attempt.entity';
import type { UserAccounts } from './user-accounts';

const FREE_FAILURES = 3;
const MAX_BACKOFF_MS = 15 * 60_000;

/** Backoff after `failures` consecutive failures, in ms: none for the free ones, then 2 s doubling (as core's codes). */
function backoffMs(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(2000 * 2 ** (failures - FREE_FAILURES - 1), MAX_BACKOFF_MS);
}

/** The answer of {@link StepUpPasswords.check}, as @secondfactor/web's `verifyStepUpPassword` takes it. */
export type StepUpPasswordAnswer = { ok: true } | { ok: false; retryAfterSeconds?: number };

/**
 * The throttled step-up password check, over `step_up_password_attempts`.
 *
 * @example
 * ```ts
 * const passwords = new StepUpPasswords(dataSource, accounts, () => new Date());
 * const answer = await passwords.check('7', 'correct horse');
 * ```
 */
export class StepUpPasswords {
  private readonly rows: Repository<StepUpPasswordAttempt>;

  constructor(
    dataSource: DataSource,
    private readonly accounts: UserAccounts,
    private readonly clock: () => Date,
  ) {
    this.rows = dataSource.getRepository(StepUpPasswordAttempt);
  }

  /** Checks `password` for `userId` unless a backoff runs; the attempt is counted first. */
  async check(userId: string, password: string): Promise<StepUpPasswordAnswer> {
    const now = this.clock().getTime();
    await this.ensureRow(userId);
    const row = await this.rows.findOneByOrFail({ userId });
    if (row.blockedUntil > now) return { ok: false, retryAfterSeconds: Math.ceil((row.blockedUntil - now) / 1000) };
    const charged = row.failureCount + 1;
    const charge = await this.rows
      .createQueryBuilder()
      .update()
      .set({ failureCount: charged, blockedUntil: now + backoffMs(charged) })
      .where('user_id = :userId AND failure_count = :count AND blocked_until <= :now', {
        userId,
        count: row.failureCount,
        now,
      })
      .execute();
    // A parallel attempt was counted since the read: this one is refused uncounted, as during a backoff.
    if ((charge.affected ?? 0) === 0) return { ok: false, retryAfterSeconds: 1 };
    if (!(await this.accounts.verifyPasswordById(userId, password))) return { ok: false };
    const reset = await this.rows
      .createQueryBuilder()
      .update()
      .set({ failureCount: 0, blockedUntil: 0 })
      .where('user_id = :userId AND failure_count = :count', { userId, count: charged })
      .execute();
    // A failure counted meanwhile voids this success, so a burst cannot tell which guess was right.
    return (reset.affected ?? 0) > 0 ? { ok: true } : { ok: false };
  }

  private async ensureRow(userId: string): Promise<void> {
    if (await this.rows.existsBy({ userId })) return;
    try {
      await this.rows.insert({ userId, failureCount: 0, blockedUntil: 0 });
    } catch (error) {
      if (!(error instanceof QueryFailedError)) throw error;
      // A parallel first attempt made the row: use it.
    }
  }
}
