/** The grace deadline of a user the 2FA policy requires, stored when first computed (S36). */
import { EntitySchema } from 'typeorm';
import { INSTANT_COLUMN } from './instant-column';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/**
 * A row of `two_factor_enrollment_deadlines`: one per user, keyed by the user id, so storing a
 * deadline is one insert that a second, parallel one cannot repeat.
 *
 * @example
 * ```ts
 * import { TwoFactorEnrollmentDeadlineEntity } from '@secondfactor/typeorm';
 * const overdue = await dataSource.getRepository(TwoFactorEnrollmentDeadlineEntity).countBy({ userId: '42' });
 * ```
 */
export class TwoFactorEnrollmentDeadlineEntity {
  userId!: string;
  /** After this instant the user reaches only enrollment until 2FA is on (S36). */
  deadline!: Date;
  createdAt!: Date;
  /** When the reminder before the deadline was sent; null before. */
  remindedAt!: Date | null;
}

/** The mapping of {@link TwoFactorEnrollmentDeadlineEntity}; every column has an explicit type and name. */
export const twoFactorEnrollmentDeadlineSchema = new EntitySchema<TwoFactorEnrollmentDeadlineEntity>({
  name: 'TwoFactorEnrollmentDeadlineEntity',
  target: TwoFactorEnrollmentDeadlineEntity,
  tableName: TWO_FACTOR_TABLE_NAMES.enrollmentDeadlines,
  columns: {
    userId: { name: 'user_id', type: 'varchar', length: 255, primary: true },
    deadline: { name: 'deadline', ...INSTANT_COLUMN },
    createdAt: { name: 'created_at', ...INSTANT_COLUMN },
    remindedAt: { name: 'reminded_at', ...INSTANT_COLUMN, nullable: true },
  },
});
