/** The table that holds back repeated notification mails (S30). */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Creates `notification_throttles`: the last send time per user and kind of mail.
 */
export class CreateNotificationThrottles1767225600000 implements MigrationInterface {
  name = 'CreateNotificationThrottles1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_throttles',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '64', isPrimary: true },
          { name: 'sent_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_throttles');
  }
}
