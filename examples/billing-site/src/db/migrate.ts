/** Runs pending migrations at start-up, safely when several instances start at once. */
import type { DataSource } from 'typeorm';

const LOCK_NAME = 'secondfactor_billing_site_migrations';
const LOCK_TIMEOUT_SECONDS = 60;

/**
 * Initialises `dataSource` (if needed) and runs every pending migration. On MySQL/MariaDB an advisory
 * lock (`GET_LOCK`) serialises instances, because MySQL DDL is not transactional and two instances
 * starting together would otherwise race on the same `CREATE TABLE`.
 *
 * @example
 * ```ts
 * const applied = await runMigrations(dataSource);
 * console.log(`${applied.length} migration(s) applied`);
 * ```
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') {
    return (await dataSource.runMigrations()).map((migration) => migration.name);
  }
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [
      LOCK_NAME,
      LOCK_TIMEOUT_SECONDS,
    ])) as Array<{ acquired: number | string | null }>;
    if (Number(row?.acquired) !== 1)
      throw new Error(`Timed out after ${LOCK_TIMEOUT_SECONDS}s waiting for another instance's migrations.`);
    try {
      return (await dataSource.runMigrations()).map((migration) => migration.name);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await runner.release();
  }
}
