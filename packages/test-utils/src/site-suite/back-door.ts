/**
 * What a test reads from or does to the site's database behind its back: find a user and its 2FA
 * rows, end a backoff (time travel without waiting minutes), change a password as another process
 * would. Only tables of the documented schema are touched: `users` and the `@secondfactor/typeorm`
 * tables.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { ThrottlePolicy } from '@secondfactor/core';
import type { FakeClock } from '../fake-clock';

/** Anything that runs SQL with `?` placeholders on the site's database. */
export interface Sql {
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
}

/** A credential row as a test reads it. */
export interface CredentialRow {
  id: string;
  state: string;
  key_id: string;
  encrypted_secret: string;
  last_used_step: number | null;
  failure_count: number;
  backoff_until: unknown;
  locked_at: unknown;
}

/**
 * The site's user id for an e-mail address.
 */
export async function userIdByEmail(db: Sql, email: string): Promise<string> {
  const rows = await db.sql<{ id: number | string }>('SELECT id FROM users WHERE email = ?', [email.toLowerCase()]);
  if (rows.length !== 1) throw new Error(`No user ${email}`);
  return String(rows[0].id);
}

/**
 * The user's 2FA credential row, or null.
 */
export async function credentialOf(db: Sql, email: string): Promise<CredentialRow | null> {
  const userId = await userIdByEmail(db, email);
  const rows = await db.sql<CredentialRow>('SELECT * FROM two_factor_credentials WHERE user_id = ?', [userId]);
  if (rows.length === 0) return null;
  const row = rows[0];
  return {
    ...row,
    failure_count: Number(row.failure_count),
    last_used_step: row.last_used_step === null ? null : Number(row.last_used_step),
  };
}

/**
 * The user's backup code rows (hashes and used-at), used or not.
 */
export async function backupCodeRows(db: Sql, email: string): Promise<Array<{ code_hash?: string; used_at: unknown }>> {
  const credential = await credentialOf(db, email);
  if (!credential) return [];
  return db.sql('SELECT * FROM two_factor_backup_codes WHERE credential_id = ?', [credential.id]);
}

/**
 * Ends a backoff in the database now, as if its time had passed; the failure count stays (S16
 * counts on). For a site process on the real clock.
 */
export async function skipBackoff(db: Sql, email: string): Promise<void> {
  const userId = await userIdByEmail(db, email);
  await db.sql('UPDATE two_factor_credentials SET backoff_until = NULL WHERE user_id = ?', [userId]);
}

/**
 * Waits out the user's backoff on a fake clock: moves it on by the default policy's delay for the
 * current failure count (nothing when there is none, or when the factor is locked). The delay is
 * measured from the last failure, so no request may have moved the clock since.
 */
export async function waitOutBackoff(db: Sql, clock: FakeClock, email: string): Promise<void> {
  const credential = await credentialOf(db, email);
  const backoffUntil = new ThrottlePolicy().decide(credential?.failure_count ?? 0, clock.now()).backoffUntil;
  if (backoffUntil) clock.set(backoffUntil.getTime() + 1000);
}

/**
 * Audit event types recorded for the user, oldest first.
 */
export async function auditEventTypes(db: Sql, email: string): Promise<string[]> {
  const userId = await userIdByEmail(db, email);
  const rows = await db.sql<Record<string, unknown>>('SELECT * FROM two_factor_audit_events WHERE user_id = ?', [
    userId,
  ]);
  // SQLite answers dates as sortable text; the servers' drivers answer Date objects.
  const sortable = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value ?? ''));
  return rows
    .map((row) => ({
      type: String(row.type ?? row.event_type),
      at: sortable(row.at ?? row.occurred_at ?? row.created_at),
      id: Number(row.id ?? 0),
    }))
    .sort((a, b) => (a.at === b.at ? a.id - b.id : a.at < b.at ? -1 : 1))
    .map((row) => row.type);
}

/**
 * Gives the user a new password, as a reset in another process would (S22). Uses the site's
 * documented hash format `scrypt$N$r$p$salt$hash`.
 */
export async function changePassword(db: Sql, email: string, password: string): Promise<void> {
  const N = 2 ** 14;
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  const hash = ['scrypt', N, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  await db.sql('UPDATE users SET password_hash = ? WHERE email = ?', [hash, email.toLowerCase()]);
}
