/** The sites' own session table goes: sessions now live in `@secondfactor/sessions`' table, indexed by user. */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { siteSessionsTable } from './1735689600000-create-billing-site-tables';

/**
 * Drops `sessions`, which the first migration created for the site's own session store. Signed-in
 * browsers sign in again once; nothing else is lost. `down` gives the empty table back.
 */
export class DropSiteSessions1772323200000 implements MigrationInterface {
  name = 'DropSiteSessions1772323200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sessions', true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(siteSessionsTable());
  }
}
