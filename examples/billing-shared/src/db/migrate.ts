/** Runs pending migrations at start-up, safely when several instances start at once. */
import type { DataSource, QueryRunner } from 'typeorm';

const LOCK_NAME = 'secondfactor_billing_site_migrations';
const LOCK_TIMEOUT_SECONDS = 60;

/** Takes and gives back a server-wide lock on one connection of its own. */
interface MigrationLock {
  acquire(runner: QueryRunner): Promise<void>;
  release(runner: QueryRunner): Promise<void>;
}

const TIMED_OUT = `Timed out after ${LOCK_TIMEOUT_SECONDS}s waiting for another instance's migrations.`;

const MYSQL_LOCK: MigrationLock = {
  async acquire(runner) {
    const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [
      LOCK_NAME,
      LOCK_TIMEOUT_SECONDS,
    ])) as Array<{ acquired: number | string | null }>;
    if (Number(row?.acquired) !== 1) throw new Error(TIMED_OUT);
  },
  async release(runner) {
    await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
  },
};

const POSTGRES_LOCK: MigrationLock = {
  async acquire(runner) {
    // A session advisory lock; lock_timeout bounds the wait like GET_LOCK's timeout does.
    await runner.query(`SET lock_timeout = '${LOCK_TIMEOUT_SECONDS}s'`);
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_NAME]);
    } catch (error) {
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      throw code === '55P03' ? new Error(TIMED_OUT) : error;
    } finally {
      await runner.query('RESET lock_timeout');
    }
  },
  async release(runner) {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_NAME]);
  },
};

/**
 * Initialises `dataSource` (if needed) and runs every pending migration. On MySQL/MariaDB an advisory
 * lock (`GET_LOCK`) serialises instances, because MySQL DDL is not transactional and two instances
 * starting together would otherwise race on the same `CREATE TABLE`; on PostgreSQL an advisory lock
 * (`pg_advisory_lock`) does the same, as two transactions creating one table would still collide.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const type = dataSource.options.type;
  const lock = type === 'mysql' || type === 'mariadb' ? MYSQL_LOCK : type === 'postgres' ? POSTGRES_LOCK : undefined;
  if (!lock) return (await dataSource.runMigrations()).map((migration) => migration.name);
  const runner = dataSource.createQueryRunner();
  try {
    await lock.acquire(runner);
    try {
      return (await dataSource.runMigrations()).map((migration) => migration.name);
    } finally {
      await lock.release(runner);
    }
  } finally {
    await runner.release();
  }
}
