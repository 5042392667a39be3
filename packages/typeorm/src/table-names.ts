/**
 * The tables this package owns. Every name starts with `two_factor_` so they sit beside the host's
 * own tables without clashing; a DataSource `entityPrefix` is prepended to each.
 */

/**
 * Table names, by role.
 *
 * @example
 * ```ts
 * import { TWO_FACTOR_TABLE_NAMES } from '@secondfactor/typeorm';
 * TWO_FACTOR_TABLE_NAMES.credentials; // 'two_factor_credentials'
 * ```
 */
export const TWO_FACTOR_TABLE_NAMES = Object.freeze({
  /** One row per user with 2FA pending or active. */
  credentials: 'two_factor_credentials',
  /** One row per backup code (hash only). */
  backupCodes: 'two_factor_backup_codes',
  /** One row per event written by `createTypeOrmEventSink`. */
  auditEvents: 'two_factor_audit_events',
  /** One row per user the 2FA policy required without 2FA: the stored grace deadline (S36). */
  enrollmentDeadlines: 'two_factor_enrollment_deadlines',
  /** One row per remembered browser (token hash only, S34). */
  trustedDevices: 'two_factor_trusted_devices',
  /** One row per account key (a hash of the email) or client address the password step throttles (S32). */
  passwordThrottles: 'two_factor_password_throttles',
} as const);
