/**
 * A large audit backlog, generated inside the database in one statement (a sequence on MariaDB,
 * `generate_series` on PostgreSQL, a recursive CTE on SQLite), so a 100,000-row retention test
 * spends its time pruning rather than inserting.
 */
import type { TestDatabase } from './databases';

/** Options of {@link fillAuditBacklog}. */
export interface AuditBacklog {
  /** Rows to insert. */
  count: number;
  /** The newest row's time; each further row is one second older. */
  newest: Date;
  /** The rows' user id; ids are `<userId>-<n>`. */
  userId: string;
}

/** The time as SQLite holds the store's dates (TypeORM writes `YYYY-MM-DD HH:MM:SS.SSS`, UTC). */
function sqliteTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** Inserts `count` `code.failed` events, from `newest` back one second per row. */
export async function fillAuditBacklog(database: TestDatabase, backlog: AuditBacklog): Promise<void> {
  const { count, newest, userId } = backlog;
  const table = database.quote('two_factor_audit_events');
  const columns = 'id, type, user_id, reason, occurred_at';
  if (database.kind === 'mariadb') {
    await database.sql(
      `
        INSERT INTO ${table} (${columns})
        SELECT CONCAT(?, '-', seq), 'code.failed', ?, 'invalid_code', ? - INTERVAL seq SECOND
        FROM seq_0_to_${count - 1}`,
      [userId, userId, newest],
    );
  } else if (database.kind === 'postgres') {
    await database.sql(
      `
        INSERT INTO ${table} (${columns})
        SELECT ? || '-' || i, 'code.failed', ?, 'invalid_code', ?::timestamp - i * interval '1 second'
        FROM generate_series(0, ? - 1) AS i`,
      [userId, userId, newest, count],
    );
  } else {
    await database.sql(
      `
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
        INSERT INTO ${table} (${columns})
        SELECT ? || '-' || i, 'code.failed', ?, 'invalid_code',
          strftime('%Y-%m-%d %H:%M:%f', ?, '-' || i || ' seconds')
        FROM n`,
      [count, userId, userId, sqliteTime(newest)],
    );
  }
}

/** How many audit rows there are, of one user or of all. */
export async function countAuditEvents(database: TestDatabase, userId?: string): Promise<number> {
  const table = database.quote('two_factor_audit_events');
  const rows = await database.sql<{ n: number | string }>(
    userId === undefined
      ? `SELECT COUNT(*) AS n FROM ${table}`
      : `SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`,
    userId === undefined ? [] : [userId],
  );
  return Number(rows[0].n);
}
