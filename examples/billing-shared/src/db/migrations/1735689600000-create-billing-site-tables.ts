/** The site's own tables: users (with sub-accounts), services, invoices and server-side sessions. */
import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The site's first session table, as this migration creates it; `DropSiteSessions1772323200000`
 * drops it again (sessions moved to @secondfactor/sessions) and gives it back on the way down.
 */
export function siteSessionsTable(): Table {
  return new Table({
    name: 'sessions',
    columns: [
      { name: 'id', type: 'varchar', length: '128', isPrimary: true },
      { name: 'data', type: 'text' },
      { name: 'expires_at', type: 'bigint' },
    ],
    indices: [{ name: 'idx_sessions_expires_at', columnNames: ['expires_at'] }],
  });
}

/**
 * Creates `users`, `services`, `invoices` and `sessions`. Written with TypeORM's schema API so one
 * migration serves SQLite, MySQL/MariaDB and PostgreSQL; only `users.created_at` differs
 * (PostgreSQL has no `datetime`).
 */
export class CreateBillingSiteTables1735689600000 implements MigrationInterface {
  name = 'CreateBillingSiteTables1735689600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The type and default TypeORM gives the entity's creation date on each driver.
    const postgres = queryRunner.connection.options.type === 'postgres';
    const createdAt = postgres
      ? { type: 'timestamp', default: 'now()' }
      : { type: 'datetime', default: 'CURRENT_TIMESTAMP' };
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'parent_id', type: 'integer', isNullable: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'created_at', ...createdAt },
        ],
        indices: [
          { name: 'uq_users_email', columnNames: ['email'], isUnique: true },
          { name: 'idx_users_parent_id', columnNames: ['parent_id'] },
        ],
      }),
    );
    await queryRunner.createForeignKey(
      'users',
      new TableForeignKey({
        name: 'fk_users_parent',
        columnNames: ['parent_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    for (const table of ['services', 'invoices'] as const) {
      const columns =
        table === 'services'
          ? [
              { name: 'product_name', type: 'varchar', length: '120' },
              { name: 'domain', type: 'varchar', length: '253' },
              { name: 'status', type: 'varchar', length: '20' },
              { name: 'billing_cycle', type: 'varchar', length: '20' },
              { name: 'amount_cents', type: 'integer' },
              { name: 'next_due_date', type: 'varchar', length: '10' },
            ]
          : [
              { name: 'number', type: 'varchar', length: '40' },
              { name: 'issued_on', type: 'varchar', length: '10' },
              { name: 'due_on', type: 'varchar', length: '10' },
              { name: 'total_cents', type: 'integer' },
              { name: 'status', type: 'varchar', length: '20' },
            ];
      await queryRunner.createTable(
        new Table({
          name: table,
          columns: [
            { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
            { name: 'account_id', type: 'integer' },
            ...columns,
          ],
          indices: [{ name: `idx_${table}_account_id`, columnNames: ['account_id'] }],
          foreignKeys: [
            {
              name: `fk_${table}_account`,
              columnNames: ['account_id'],
              referencedTableName: 'users',
              referencedColumnNames: ['id'],
              onDelete: 'CASCADE',
            },
          ],
        }),
      );
    }
    await queryRunner.createTable(siteSessionsTable());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('invoices');
    await queryRunner.dropTable('services');
    await queryRunner.dropTable('users');
  }
}
