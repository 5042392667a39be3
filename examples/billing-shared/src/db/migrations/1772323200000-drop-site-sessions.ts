/** The sites' own session table goes: sessions now live in `@secondfactor/sessions`' table, indexed by user. */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Drops `sessions`, which the first migration created for the site's own session store. Signed-in
 * browsers sign in again once; nothing else is lost. `down` gives the empty table back.
 *
 * @example
 * ```ts
 * const migrations = [CreateBillingSiteTables1735689600000, DropSiteSessions1772323200000];
 * new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations });
 * ```
 */
export class DropSiteSessions1772323200000 implements MigrationInterface {
  name = 'DropSiteSessions1772323200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sessions', true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'data', type: 'text' },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [{ name: 'idx_sessions_expires_at', columnNames: ['expires_at'] }],
      }),
    );
  }
}
