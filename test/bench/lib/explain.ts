/**
 * Query plans of the statements a site ran, for the scale part: EXPLAIN on MariaDB, EXPLAIN
 * (FORMAT TEXT) on PostgreSQL, neither of which executes the statement, so writes are planned
 * but not made. The statements come with the parameters they ran with; those never leave here
 * (PostgreSQL would print them into the plan, so it gets the generic plan, without values).
 */
import type { DataSource } from 'typeorm';
import type { CapturedStatement } from '../site/statement-counter';

/** One statement's plan, as the report shows it. */
export interface StatementPlan {
  /** The statement's text, whitespace collapsed; no parameters. */
  sql: string;
  /** The plan, one line per row (MariaDB) or per plan line (PostgreSQL). */
  plan: string[];
  /** Whether the plan reads a table in full (MariaDB `type: ALL` on a read, PostgreSQL `Seq Scan`). */
  fullScan: boolean;
}

/** One row of MariaDB's tabular EXPLAIN. */
export interface MysqlPlanRow {
  id?: number | string | null;
  select_type?: string | null;
  table?: string | null;
  type?: string | null;
  key?: string | null;
  rows?: number | string | null;
  Extra?: string | null;
}

const TRANSACTION_CONTROL =
  /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET TRANSACTION)\b/i;

/**
 * Whether a MariaDB plan reads a table in full: a row of `type: ALL` that is not the target of an
 * `INSERT … VALUES` (MariaDB reports the inserted-into table as `ALL`, but nothing is read).
 */
export function mysqlFullScan(rows: readonly MysqlPlanRow[]): boolean {
  return rows.some((row) => row.type === 'ALL' && !/^(INSERT|REPLACE)$/i.test(row.select_type ?? ''));
}

/** Whether a PostgreSQL text plan reads a table sequentially. */
export function postgresFullScan(lines: readonly string[]): boolean {
  return lines.some((line) => /\bSeq Scan\b/.test(line));
}

/** One MariaDB plan row as a line of text. */
export function formatMysqlPlanRow(row: MysqlPlanRow): string {
  return [
    `${row.select_type ?? '?'} ${row.table ?? '-'}`,
    `type ${row.type ?? '-'}`,
    `key ${row.key ?? '-'}`,
    `rows ${row.rows ?? '-'}`,
    ...(row.Extra ? [row.Extra] : []),
  ].join(', ');
}

/**
 * The distinct statements worth planning, in the order first sent: no transaction control, each
 * text once (the first parameters it ran with).
 */
export function statementsToPlan(statements: readonly CapturedStatement[]): CapturedStatement[] {
  const seen = new Set<string>();
  const kept: CapturedStatement[] = [];
  for (const statement of statements) {
    const text = statementText(statement.sql);
    if (TRANSACTION_CONTROL.test(text) || seen.has(text)) continue;
    seen.add(text);
    kept.push(statement);
  }
  return kept;
}

/** A statement's text for the report: whitespace collapsed, and any number a driver inlined (a time step, an expiry) masked, as the statement counter does. */
export function statementText(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\b\d{6,}\b/g, '?')
    .trim();
}

/** The highest `$n` placeholder of a PostgreSQL statement. */
export function postgresParameterCount(sql: string): number {
  return Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

/**
 * PostgreSQL prints bound values into a plan, so it plans the generic plan instead: the
 * statement is prepared with its placeholders, and `EXPLAIN EXECUTE` with NULLs under
 * `plan_cache_mode = force_generic_plan` shows `$1`, `$2`, … where the values would be.
 */
async function explainPostgres(
  dataSource: DataSource,
  statements: readonly CapturedStatement[],
): Promise<StatementPlan[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const plans: StatementPlan[] = [];
  try {
    await runner.query('SET plan_cache_mode = force_generic_plan');
    for (const { sql } of statementsToPlan(statements)) {
      const text = statementText(sql);
      const nulls = Array.from({ length: postgresParameterCount(sql) }, () => 'NULL').join(', ');
      await runner.query(`PREPARE bench_explain AS ${sql}`);
      try {
        const rows = (await runner.query(
          `EXPLAIN (FORMAT TEXT) EXECUTE bench_explain${nulls ? `(${nulls})` : ''}`,
        )) as Array<Record<string, string>>;
        const lines = rows.map((row) => row['QUERY PLAN']);
        plans.push({ sql: text, plan: lines, fullScan: postgresFullScan(lines) });
      } finally {
        await runner.query('DEALLOCATE bench_explain');
      }
    }
  } finally {
    await runner.query('RESET plan_cache_mode').catch(() => undefined);
    await runner.release();
  }
  return plans;
}

/**
 * Plans each statement on `dataSource` without executing it: on MariaDB with the parameters it
 * ran with (its tabular plan shows none of them), on PostgreSQL as a generic plan.
 */
export async function explainStatements(
  dataSource: DataSource,
  statements: readonly CapturedStatement[],
): Promise<StatementPlan[]> {
  if (dataSource.options.type === 'postgres') return explainPostgres(dataSource, statements);
  const plans: StatementPlan[] = [];
  for (const { sql, parameters } of statementsToPlan(statements)) {
    const rows = (await dataSource.query(`EXPLAIN ${sql}`, parameters)) as MysqlPlanRow[];
    plans.push({
      sql: statementText(sql),
      plan: rows.map(formatMysqlPlanRow),
      fullScan: mysqlFullScan(rows),
    });
  }
  return plans;
}
