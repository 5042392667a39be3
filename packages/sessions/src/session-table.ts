/**
 * The table the TypeORM store owns. The name starts with `secondfactor_` so it sits beside a host's
 * own tables (and an older `sessions` table) without clashing; a DataSource `entityPrefix` is prepended.
 */

/**
 * The table name and its index names.
 *
 * @example
 * ```ts
 * import { SESSION_TABLE } from '@secondfactor/sessions/typeorm';
 * SESSION_TABLE.name; // 'secondfactor_sessions'
 * ```
 */
export const SESSION_TABLE = Object.freeze({
  /** One row per session or tombstone, keyed by the session's handle. */
  name: 'secondfactor_sessions',
  /** The primary key constraint (named, so every driver's schema builder agrees with the migration). */
  primaryKey: 'PK_secondfactor_sessions',
  /** The user index: list and revoke a user's sessions. */
  userIndex: 'IDX_secondfactor_sessions_user_id',
  /** The expiry index: prune in bounded batches. */
  expiryIndex: 'IDX_secondfactor_sessions_expires_at',
} as const);
