/** The tables of step-up (S35): payment methods, a guarded page, and the step-up password throttle. */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Creates `payment_methods` (label and last four digits per account) and
 * `step_up_password_attempts` (failures and backoff per user).
 *
 * @example
 * ```ts
 * new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: [...siteMigrations] });
 * ```
 */
export class CreatePaymentMethods1782000000000 implements MigrationInterface {
  name = 'CreatePaymentMethods1782000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'payment_methods',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'account_id', type: 'integer' },
          { name: 'label', type: 'varchar', length: '60' },
          { name: 'last_four', type: 'varchar', length: '4' },
          { name: 'created_at', type: 'bigint' },
        ],
        indices: [{ name: 'idx_payment_methods_account_id', columnNames: ['account_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'step_up_password_attempts',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'failure_count', type: 'integer' },
          { name: 'blocked_until', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('step_up_password_attempts');
    await queryRunner.dropTable('payment_methods');
  }
}
