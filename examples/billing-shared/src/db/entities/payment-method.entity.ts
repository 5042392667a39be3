/** A card on file as a billing site may show it: a label and the last four digits, never the number. */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One payment method of a primary account. The card number never reaches the site: a payment
 * provider would hold it, and only what identifies the card to its owner is kept here.
 *
 * @example
 * ```ts
 * await dataSource.getRepository(PaymentMethod).find({ where: { accountId: 1 } });
 * ```
 */
@Entity({ name: 'payment_methods' })
export class PaymentMethod {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** The primary account that owns it. */
  @Index('idx_payment_methods_account_id')
  @Column({ name: 'account_id', type: 'integer' })
  accountId!: number;

  /** The owner's name for the card, e.g. "Company Visa". */
  @Column({ type: 'varchar', length: 60 })
  label!: string;

  /** The last four digits, to tell cards apart. */
  @Column({ name: 'last_four', type: 'varchar', length: 4 })
  lastFour!: string;

  /** Milliseconds since the epoch when it was added. */
  @Column({
    name: 'created_at',
    type: 'bigint',
    transformer: { to: (value: number) => value, from: (value: string | number) => Number(value) },
  })
  createdAt!: number;
}
