/** Account protection (S31, S32): the users' security stamp and the password-step throttle table. */
import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The site's former `login_throttles` table (S32), as this migration created it and as
 * `DropLoginThrottles1784000000000` restores it on the way down.
 */
export function loginThrottlesTable(): Table {
  return new Table({
    name: 'login_throttles',
    columns: [
      { name: 'throttle_key', type: 'varchar', length: '100', isPrimary: true },
      { name: 'failures', type: 'integer', default: 0 },
      { name: 'next_attempt_at', type: 'bigint', default: 0 },
      { name: 'window_started_at', type: 'bigint', default: 0 },
      { name: 'window_count', type: 'integer', default: 0 },
    ],
  });
}

/**
 * Adds `users.security_stamp` (rotated on every security change, S31) and creates
 * `login_throttles`: per-account failure counters and per-IP windows of the password step (S32).
 */
export class AddAccountProtection1780000000000 implements MigrationInterface {
  name = 'AddAccountProtection1780000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'users',
      new TableColumn({ name: 'security_stamp', type: 'varchar', length: '64', isNullable: true }),
    );
    await queryRunner.createTable(loginThrottlesTable());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_throttles');
    await queryRunner.dropColumn('users', 'security_stamp');
  }
}
