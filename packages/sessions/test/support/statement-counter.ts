/** A TypeORM logger that records every statement, so tests can count the SQL an operation issues. */
import type { Logger } from 'typeorm';

/** Collects the SQL TypeORM sends, between {@link StatementCounter.reset} calls. */
export class StatementCounter implements Logger {
  readonly statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query.replace(/\s+/g, ' ').trim());
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
