/** Options for the two-factor service, validated at construction (fail fast at setup). */
import type { TwoFactorEvent, TwoFactorEventSink } from './events';
import type { Keyring } from './keyring';
import type { ScryptParams } from './backup-codes';
import type { TwoFactorStore } from './store';
import type { ThrottlePolicyOptions } from './throttle-policy';
import type { TotpWindow } from './totp';
import type { HostUserId, UserIdKind } from './host-user-ids';
import type { EnrollmentRequirement } from './enrollment-policy';

/**
 * Everything {@link TwoFactorService} needs. Only `store`, `keyring`, `issuer` and `verifyPassword`
 * are required. `Kind` follows `userIds`: with `'integer'`, the hooks get the user id as a number.
 */
export interface TwoFactorServiceOptions<Kind extends UserIdKind = 'string'> {
  /** Where credentials live. Use `@secondfactor/typeorm` in production. */
  store: TwoFactorStore;
  /** Keys for secrets at rest (S6). */
  keyring: Keyring;
  /** The issuer shown in authenticator apps, e.g. "Acme Billing". No colon. */
  issuer: string;
  /**
   * Your users' id type: `'string'` (default) or `'integer'` (e.g. an auto-increment key). The
   * service keeps ids as strings; `verifyPassword`, `isEligible` and passport-totp's `loadUser`
   * get them back in your type.
   */
  userIds?: Kind;
  /** Checks the user's current password, for disable and regenerate (S8). */
  verifyPassword: (userId: HostUserId<Kind>, password: string) => boolean | Promise<boolean>;
  /** Whether the user may use 2FA at all; sub-accounts answer false (S9). Default: everyone. */
  isEligible?: (userId: HostUserId<Kind>) => boolean | Promise<boolean>;
  /**
   * Rotates the user's security stamp and resolves to the new one (S31), e.g. a random value written
   * to a `security_stamp` column of your users table. The service calls it after enable, disable,
   * admin disable and new backup codes; the session that made the change gets the new stamp in the
   * outcome (`securityStamp`), and @secondfactor/web signs every other session of the user out at
   * its next request. Call {@link TwoFactorService.rotateSecurityStamp} yourself on a password change.
   */
  rotateSecurityStamp?: (userId: HostUserId<Kind>) => string | Promise<string>;
  /**
   * The 2FA policy (S36): whether the user must have 2FA, and from when the grace period runs
   * (`since`, default the moment it is first asked). An ineligible user is never required, whatever
   * this answers. Default: nobody is required.
   */
  requirement?: (userId: HostUserId<Kind>) => EnrollmentRequirement | Promise<EnrollmentRequirement>;
  /**
   * Days a required user has to enroll, counted from `since` (S36). The deadline is stored per user
   * when first computed, so changing this later moves no running deadline. Default 14; 0 to 365.
   */
  graceDays?: number;
  /** The server clock (S11). Default `() => new Date()`. */
  clock?: () => Date;
  /** Steps accepted either side of now (S11). Default `{ past: 1, future: 1 }`, each at most 10. */
  window?: Partial<TotpWindow>;
  /** How long a pending enrollment stays confirmable. Default 600 (S7). */
  pendingTtlSeconds?: number;
  /** Backup codes per set. Default 1, a typical billing host's model (S17); at most 20. */
  backupCodeCount?: number;
  /**
   * How long a remembered browser skips the second factor, in days (S34). Default 30; 0 turns
   * trusted devices off (the challenge offers no checkbox and every token is ignored); at most 365.
   */
  trustedDeviceDays?: number;
  /** Brute-force policy (S16). */
  throttle?: Partial<ThrottlePolicyOptions>;
  /** scrypt parameters for backup codes (S18). */
  scrypt?: Partial<ScryptParams>;
  /**
   * The audit trail (S27): receives every event, before the `onEvent` sinks, and must succeed. If it
   * throws, the operation rejects with `StoreUnavailableError` (503 `TWO_FACTOR_UNAVAILABLE`), so no
   * guess goes unrecorded because the audit table is broken. A failure is counted in the store before
   * its event is written, so the 503 never un-counts it. A state change (enabled, disabled, new
   * backup codes, unlock) is committed before its event: after such a 503 the change has happened
   * without its audit row, and the client should read the state again. The `onEvent` sinks still
   * run, so the user is still notified. A sink that queues an event (batched `code.verified`) has
   * nothing to fail for it.
   */
  audit?: TwoFactorEventSink;
  /**
   * Best-effort sinks for every event (S26), such as notification mail and log lines. A sink that
   * throws is reported to `onEventError` and the operation's outcome stands.
   */
  onEvent?: TwoFactorEventSink | TwoFactorEventSink[];
  /** Called when an `onEvent` sink throws; the outcome stands. Default: `console.error` of the event type. */
  onEventError?: (error: unknown, event: TwoFactorEvent) => void;
}

/** The default grace period of a required user, in days (S36). */
export const DEFAULT_GRACE_DAYS = 14;

/** The largest `backupCodeCount`. */
export const MAX_BACKUP_CODE_COUNT = 20;
/** The default lifetime of a trusted device, in days (S34). */
export const DEFAULT_TRUSTED_DEVICE_DAYS = 30;
/** The largest `trustedDeviceDays`. */
export const MAX_TRUSTED_DEVICE_DAYS = 365;
/** The default pending-enrollment lifetime: 10 minutes (S7). */
export const DEFAULT_PENDING_TTL_SECONDS = 600;
