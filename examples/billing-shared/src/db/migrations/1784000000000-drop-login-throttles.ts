/** The password step's throttle moved into the packages (S32): the site's own table goes. */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loginThrottlesTable } from './1780000000000-add-account-protection';

/**
 * Drops `login_throttles`: the password throttle now keeps its counts in
 * `two_factor_password_throttles` of `@secondfactor/typeorm` (`twoFactorMigrations` creates it).
 * The counts are short-lived (an hour of backoff at most), so none are carried over. `down`
 * restores the empty table.
 *
 * @example
 * ```ts
 * new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: [...siteMigrations, ...twoFactorMigrations] });
 * ```
 */
export class DropLoginThrottles1784000000000 implements MigrationInterface {
  name = 'DropLoginThrottles1784000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_throttles', true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(loginThrottlesTable(), true);
  }
}
