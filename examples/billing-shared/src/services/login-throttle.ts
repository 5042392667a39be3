/**
 * The password step's throttle (S32): a per-account count of consecutive wrong passwords with
 * exponential backoff (never a lock an attacker could trigger), and a per-address limit on
 * password and registration attempts. Counts move by conditional writes in the database, so
 * instances agree, and a failure recorded since a check read the count voids that check's success
 * (a parallel burst is worth no more than sequential tries). Framework-free: a host mounts it by
 * calling {@link LoginThrottle.claimAddress} and {@link LoginThrottle.claimAccount} before its
 * password check, then {@link LoginThrottle.failed} or {@link LoginThrottle.succeeded}.
 */
import { createHash } from 'node:crypto';
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { LoginThrottleRecord } from '../db/entities/login-throttle.entity';

/** The throttle's numbers. */
export interface LoginThrottlePolicy {
  /** Wrong passwords in a row before any wait. Default 5. */
  freeFailures: number;
  /** The first wait, in seconds; each further failure doubles it. Default 60. */
  baseDelaySeconds: number;
  /** The longest wait, in seconds: the backoff never becomes a lock. Default 3600. */
  maxDelaySeconds: number;
  /** Attempts per address per window (`LOGIN_IP_LIMIT`); 0 turns the address limit off. Default 100. */
  addressLimit: number;
  /** The address window, in seconds. Default 600 (10 minutes). */
  addressWindowSeconds: number;
}

/**
 * The defaults: 5 free failures, then 1, 2, 4 … minutes up to an hour; 100 attempts per address per
 * 10 minutes. An attacker gets at most 33 wrong passwords per account in 24 hours.
 */
export const DEFAULT_LOGIN_THROTTLE: Readonly<LoginThrottlePolicy> = Object.freeze({
  freeFailures: 5,
  baseDelaySeconds: 60,
  maxDelaySeconds: 3600,
  addressLimit: 100,
  addressWindowSeconds: 600,
});

/** The answer of a claim: go ahead, or wait `retryAfterSeconds`. */
export type ThrottleDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The answer of {@link LoginThrottle.claimAccount}: go ahead (with the count read), or wait. */
export type AccountClaim = { ok: true; key: string; failuresRead: number } | { ok: false; retryAfterSeconds: number };

/**
 * The wait after `failures` consecutive wrong passwords, in seconds.
 */
export function backoffSeconds(failures: number, policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseDelaySeconds * 2 ** doublings, policy.maxDelaySeconds);
}

/**
 * The account's throttle key: a hash of the normalised email, so a known and an unknown address
 * are throttled alike (S32) and the table holds no addresses.
 */
export function accountKey(email: string): string {
  return `acct:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

const REFUSED_RACE: ThrottleDecision = { ok: false, retryAfterSeconds: 1 };

/**
 * The `login_throttles` table as the password step's gate.
 */
export class LoginThrottle {
  private readonly rows: Repository<LoginThrottleRecord>;

  constructor(
    dataSource: DataSource,
    readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.rows = dataSource.getRepository(LoginThrottleRecord);
  }

  /**
   * Counts one attempt from `ip` (login or registration). Refused once the address used
   * `addressLimit` attempts in the current window; an unknown address (undefined) shares one bucket.
   */
  async claimAddress(ip: string | undefined): Promise<ThrottleDecision> {
    const { addressLimit, addressWindowSeconds } = this.policy;
    if (addressLimit === 0) return { ok: true };
    const key = `ip:${ip ?? 'unknown'}`.slice(0, 100);
    const now = this.clock().getTime();
    const windowMs = addressWindowSeconds * 1000;
    for (let round = 0; round < 3; round++) {
      const counted = await this.rows
        .createQueryBuilder()
        .update()
        .set({ windowCount: () => 'window_count + 1' })
        .where('throttle_key = :key AND window_started_at > :since AND window_count < :limit', {
          key,
          since: now - windowMs,
          limit: addressLimit,
        })
        .execute();
      if ((counted.affected ?? 0) > 0) return { ok: true };
      const row = await this.rows.findOneBy({ key });
      if (!row) {
        if (await this.insert({ key, windowStartedAt: now, windowCount: 1 })) return { ok: true };
        continue;
      }
      if (row.windowStartedAt > now - windowMs)
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((row.windowStartedAt + windowMs - now) / 1000)) };
      // The window is over: exactly one caller starts the next one.
      const restarted = await this.rows
        .createQueryBuilder()
        .update()
        .set({ windowStartedAt: now, windowCount: 1 })
        .where('throttle_key = :key AND window_started_at = :started', { key, started: row.windowStartedAt })
        .execute();
      if ((restarted.affected ?? 0) > 0) return { ok: true };
    }
    return REFUSED_RACE;
  }

  /**
   * Whether the account may have its password checked now: refused during backoff, a correct
   * password too. A go-ahead carries the failure count it read, for {@link failed} and {@link succeeded}.
   */
  async claimAccount(email: string): Promise<AccountClaim> {
    const key = accountKey(email);
    const now = this.clock().getTime();
    const row = await this.rows.findOneBy({ key });
    if (row && row.nextAttemptAt > now)
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((row.nextAttemptAt - now) / 1000)) };
    return { ok: true, key, failuresRead: row?.failures ?? 0 };
  }

  /**
   * A wrong password: the count goes up by one in SQL, and the backoff for the new count is set
   * unless a later failure already set a longer one. Returns the wait now due, in seconds.
   */
  async failed(claim: Extract<AccountClaim, { ok: true }>): Promise<number> {
    const { key } = claim;
    for (let round = 0; round < 3; round++) {
      const counted = await this.rows
        .createQueryBuilder()
        .update()
        .set({ failures: () => 'failures + 1' })
        .where('throttle_key = :key', { key })
        .execute();
      if ((counted.affected ?? 0) === 0 && !(await this.insert({ key, failures: 1 }))) continue;
      const row = await this.rows.findOneBy({ key });
      if (!row) continue;
      const wait = backoffSeconds(row.failures, this.policy);
      await this.rows
        .createQueryBuilder()
        .update()
        .set({ nextAttemptAt: this.clock().getTime() + wait * 1000 })
        .where('throttle_key = :key AND failures = :failures', { key, failures: row.failures })
        .execute();
      return wait;
    }
    throw new Error('The login throttle could not record a failure.');
  }

  /**
   * A correct password: the count starts again. False when a failure was recorded since the claim
   * read the count: a parallel burst is then worth no more than sequential tries, and this success
   * is void (the caller answers as for a wrong password).
   */
  async succeeded(claim: Extract<AccountClaim, { ok: true }>): Promise<boolean> {
    const { key, failuresRead } = claim;
    if (failuresRead > 0)
      await this.rows
        .createQueryBuilder()
        .update()
        .set({ failures: 0, nextAttemptAt: 0 })
        .where('throttle_key = :key AND failures = :failures', { key, failures: failuresRead })
        .execute();
    const row = await this.rows.findOneBy({ key });
    return !row || row.failures === 0;
  }

  private async insert(row: Partial<LoginThrottleRecord> & { key: string }): Promise<boolean> {
    try {
      await this.rows.insert({ failures: 0, nextAttemptAt: 0, windowStartedAt: 0, windowCount: 0, ...row });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
  return (
    code === 'ER_DUP_ENTRY' ||
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
