/**
 * Audit retention (S37): an index on `two_factor_audit_events.occurred_at`, so pruning finds the
 * oldest events by a range scan instead of reading the whole table. A migration of its own, because
 * databases that already ran the first one must get it too. `synchronize: true` creates it from the
 * entity; the migration then finds it and only records itself.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationContext } from './migration-context';

/** The index name, also declared on the audit entity. */
export const AUDIT_RETENTION_INDEX = 'IDX_two_factor_audit_events_occurred_at';

/**
 * Adds `IDX_two_factor_audit_events_occurred_at` for {@link pruneTwoFactorEvents} on MySQL/MariaDB,
 * SQLite and PostgreSQL. InnoDB builds it online; on the other two it is quick while the table is
 * small, so run it before the audit trail has grown for years. `down` drops it.
 *
 * @example
 * ```ts
 * import { twoFactorMigrations } from '@secondfactor/typeorm';
 * // Listed after CreateTwoFactorTables1764288000000; runMigrations() applies what is missing.
 * const dataSource = new DataSource({ ...options, migrations: [...twoFactorMigrations] });
 * await dataSource.runMigrations();
 * ```
 */
export class AddTwoFactorAuditRetentionIndex1795910400000 implements MigrationInterface {
  /** Explicit, so a minifier renaming the class cannot change the recorded migration name. */
  readonly name = 'AddTwoFactorAuditRetentionIndex1795910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { tables, tablePaths, quote } = migrationContext(queryRunner);
    const existing = await queryRunner.getTable(tablePaths.auditEvents);
    if (existing?.indices.some((index) => index.name === AUDIT_RETENTION_INDEX)) return;
    await queryRunner.query(`
      CREATE INDEX ${quote(AUDIT_RETENTION_INDEX)}
        ON ${tables.auditEvents} (occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { dialect, tables, index } = migrationContext(queryRunner);
    await queryRunner.query(
      dialect === 'mysql'
        ? `DROP INDEX ${index(AUDIT_RETENTION_INDEX)} ON ${tables.auditEvents}`
        : `DROP INDEX ${index(AUDIT_RETENTION_INDEX)}`,
    );
  }
}
