/**
 * The thin SQL layer under the store and the other helpers: named parameters, affected rows,
 * transactions with deadlock retry, hydration through TypeORM's own column conversions, and
 * fault mapping. Not exported: the public surface is the store.
 */
import { randomInt } from 'node:crypto';
import { ConfigurationError, StoreUnavailableError } from '@secondfactor/core';
import type { DataSource, QueryRunner } from 'typeorm';
import { dialectOfDriver, SUPPORTED_DRIVERS, type Dialect } from './dialect';
import { TwoFactorStoreUnavailable } from './store-unavailable';

/** What one statement returned. */
export interface SqlResult {
  rows: Record<string, unknown>[];
  affected: number;
}

/** Runs one statement with `:named` parameters. */
export interface SqlExecutor {
  run(sql: string, params?: Record<string, unknown>): Promise<SqlResult>;
}

/** Thrown inside a transaction to roll it back and return `value`. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** MySQL's deadlock errno; PostgreSQL's deadlock and serialization-failure SQLSTATEs. */
const DEADLOCK_ERRNO = 1213;
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const DEADLOCK_ATTEMPTS = 10;

/**
 * TypeORM's SQLite drivers share one connection per DataSource, so a second transaction (or a
 * stray statement) would run inside the first. Every store call on SQLite therefore waits its turn
 * here; SQLite has a single writer anyway.
 */
const sqliteTurns = new WeakMap<DataSource, Promise<unknown>>();

/** Whether the database rolled the transaction back to break a deadlock, so running it again is right. */
function isDeadlockVictim(error: unknown): boolean {
  const value = error as { errno?: unknown; code?: unknown; driverError?: { errno?: unknown; code?: unknown } } | null;
  const errno = value?.errno ?? value?.driverError?.errno;
  const code = value?.driverError?.code ?? value?.code;
  return errno === DEADLOCK_ERRNO || (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code));
}

/** The `DataSource`-bound SQL helper shared by the store, the event sink and key rotation. */
export class StoreDatabase {
  readonly dialect: Dialect;

  constructor(readonly dataSource: DataSource) {
    if (
      !dataSource ||
      typeof dataSource !== 'object' ||
      typeof (dataSource as Partial<DataSource>).createQueryRunner !== 'function'
    ) {
      throw new ConfigurationError('@secondfactor/typeorm needs a TypeORM DataSource.');
    }
    const dialect = dialectOfDriver(dataSource.options?.type);
    if (!dialect)
      throw new ConfigurationError(
        `@secondfactor/typeorm supports ${SUPPORTED_DRIVERS} DataSources, not "${String(dataSource.options?.type)}".`,
      );
    this.dialect = dialect;
  }

  /** The escaped table name of an entity, honouring `entityPrefix`. */
  table(entity: { options: { name: string } }): string {
    return this.metadata(entity)
      .tablePath.split('.')
      .map((part) => this.dataSource.driver.escape(part))
      .join('.');
  }

  /** One statement, outside any transaction. Faults become `StoreUnavailableError`. */
  async run(sql: string, params: Record<string, unknown> = {}): Promise<SqlResult> {
    return this.guard(() => this.withRunner((runner) => this.execute(runner, sql, params)));
  }

  /**
   * Runs `work` in one transaction. Throwing a {@link Rollback} rolls back and returns its value.
   * A deadlock (MySQL, PostgreSQL) rolls back and runs `work` again from the start; `work` must be
   * repeatable.
   */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.withRunner(async (runner) => {
            await runner.startTransaction();
            try {
              const value = await work({ run: (sql, params = {}) => this.execute(runner, sql, params) });
              await runner.commitTransaction();
              return value;
            } catch (error) {
              if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
              if (error instanceof Rollback) return error.value as T;
              throw error;
            }
          });
        } catch (error) {
          if (!isDeadlockVictim(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
          // The database picked this transaction as the deadlock victim (e.g. on InnoDB, parallel
          // enrollment restarts of one user meeting on the unique user_id gap); a growing random
          // pause breaks the tie.
          await new Promise((resolve) => setTimeout(resolve, randomInt(1, Math.min(250, 4 * 2 ** attempt))));
        }
      }
    });
  }

  /** Converts a raw row to entity properties with TypeORM's own per-driver conversions. */
  hydrate<T>(entity: { options: { name: string } }, row: Record<string, unknown>): T {
    const result: Record<string, unknown> = {};
    for (const column of this.metadata(entity).columns) {
      result[column.propertyName] = this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return result as T;
  }

  /** Runs `task` alone on SQLite (see `sqliteTurns`), directly on MySQL and PostgreSQL. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return task();
    const previous = sqliteTurns.get(this.dataSource) ?? Promise.resolve();
    const next = previous.then(task, task);
    sqliteTurns.set(
      this.dataSource,
      next.catch(() => undefined),
    );
    return next;
  }

  private async withRunner<T>(task: (runner: QueryRunner) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      if (!this.dataSource.isInitialized)
        throw new StoreUnavailableError('The two-factor DataSource is not initialized (or was destroyed).');
      const runner = this.dataSource.createQueryRunner();
      try {
        return await task(runner);
      } finally {
        await runner.release();
      }
    });
  }

  private async execute(runner: QueryRunner, sql: string, params: Record<string, unknown>): Promise<SqlResult> {
    // SQL is written as indented multi-line text; trimmed, every statement starts with its verb in the logs.
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql.trim(), params);
    const result = await runner.query(query, values, true);
    return { rows: Array.isArray(result.records) ? result.records : [], affected: result.affected ?? 0 };
  }

  private metadata(entity: { options: { name: string } }) {
    if (!this.dataSource.isInitialized)
      throw new StoreUnavailableError('The two-factor DataSource is not initialized (or was destroyed).');
    // By entity name, not class identity: a second copy of this package (or src beside dist) still finds it.
    const name = entity.options.name;
    if (!this.dataSource.hasMetadata(name)) {
      throw new ConfigurationError(
        'The DataSource does not know the two-factor entities: add ...twoFactorEntities to its `entities`.',
      );
    }
    return this.dataSource.getMetadata(name);
  }

  private async guard<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      throw TwoFactorStoreUnavailable.map(error);
    }
  }
}
