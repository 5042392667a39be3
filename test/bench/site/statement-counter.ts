/**
 * A TypeORM logger that counts every statement the site sends, by the table it touches, so the
 * bench can report SQL statements per verification without trusting anyone's description.
 */
import type { Logger, QueryRunner } from 'typeorm';

/** Statement categories, by table. */
export type StatementCategory =
  | 'two_factor_store'
  | 'two_factor_audit'
  | 'baseline_secret'
  | 'peer_secret'
  | 'sessions'
  | 'users'
  | 'transaction'
  | 'other';

/** Counts per category. */
export type StatementCounts = Record<StatementCategory, number> & { total: number; writes: number };

/**
 * The category of one SQL statement.
 */
export function categorize(sql: string): StatementCategory {
  if (/two_factor_audit_events/i.test(sql)) return 'two_factor_audit';
  if (/two_factor_(credentials|backup_codes|trusted_devices)/i.test(sql)) return 'two_factor_store';
  if (/bench_legacy_totp_secrets/i.test(sql)) return 'baseline_secret';
  if (/bench_otplib_totp/i.test(sql)) return 'peer_secret';
  // The example's own table, or @secondfactor/sessions' `secondfactor_sessions`.
  if (/(\b|_)sessions\b/i.test(sql)) return 'sessions';
  if (/\busers\b/i.test(sql)) return 'users';
  if (/^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET TRANSACTION)/i.test(sql))
    return 'transaction';
  return 'other';
}

/** One statement as the site sent it, with its parameters: for EXPLAIN inside the bench, never for printing. */
export interface CapturedStatement {
  sql: string;
  parameters: unknown[];
}

function zero(): StatementCounts {
  return {
    total: 0,
    writes: 0,
    two_factor_store: 0,
    two_factor_audit: 0,
    baseline_secret: 0,
    peer_secret: 0,
    sessions: 0,
    users: 0,
    transaction: 0,
    other: 0,
  };
}

/**
 * Counts statements; optionally keeps their text. Parameters (which hold session data and ids) are
 * kept only in the capture-with-parameters mode, so the bench can EXPLAIN the statements as run;
 * they are never printed.
 */
export class StatementCounter implements Logger {
  private counts = zero();
  private captured: string[] | null = null;
  private capturedWithParameters: CapturedStatement[] | null = null;

  /** The counts since the last reset. */
  snapshot(): StatementCounts {
    return { ...this.counts };
  }

  /** Starts counting from zero. */
  reset(): void {
    this.counts = zero();
  }

  /** Starts keeping statement texts. */
  startCapture(): void {
    this.captured = [];
  }

  /** Stops keeping texts and returns them. */
  stopCapture(): string[] {
    const texts = this.captured ?? [];
    this.captured = null;
    return texts;
  }

  /** Starts keeping each statement as sent, with its parameters. */
  startCaptureWithParameters(): void {
    this.capturedWithParameters = [];
  }

  /** Stops keeping statements with parameters and returns them, in the order they were sent. */
  stopCaptureWithParameters(): CapturedStatement[] {
    const statements = this.capturedWithParameters ?? [];
    this.capturedWithParameters = null;
    return statements;
  }

  logQuery(query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.counts.total++;
    // A write is what costs a disk flush at commit (autocommit: every write statement).
    if (/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(query)) this.counts.writes++;
    this.counts[categorize(query)]++;
    // Some drivers inline numbers (a time step, an expiry); keep only the shape of the statement.
    this.capturedWithParameters?.push({ sql: query, parameters: [...(parameters ?? [])] });
    if (this.captured)
      this.captured.push(
        query
          .replace(/\s+/g, ' ')
          .replace(/\b\d{6,}\b/g, '?')
          .trim(),
      );
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
