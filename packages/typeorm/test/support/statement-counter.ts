/** A TypeORM logger that records every statement, so tests can count the SQL an operation issues. */
import type { Logger } from 'typeorm';

/** Collects the SQL TypeORM sends, between {@link StatementCounter.reset} calls. */
export class StatementCounter implements Logger {
  readonly statements: string[] = [];
  /** When set, a statement matching it throws instead of running (a crash between two statements). */
  failOn: RegExp | null = null;

  logQuery(query: string): void {
    if (this.failOn?.test(query)) {
      this.failOn = null;
      throw new Error('simulated crash before: ' + query.slice(0, 60));
    }
    this.statements.push(query);
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  reset(): void {
    this.statements.length = 0;
  }
}
