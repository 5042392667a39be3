/** An invoice of a primary account, shown in the client area. */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One invoice.
 */
@Entity({ name: 'invoices' })
export class Invoice {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('idx_invoices_account_id')
  @Column({ name: 'account_id', type: 'integer' })
  accountId!: number;

  /** The number printed on the invoice, e.g. "INV-2024-0042". */
  @Column({ type: 'varchar', length: 40 })
  number!: string;

  /** ISO date `YYYY-MM-DD`. */
  @Column({ name: 'issued_on', type: 'varchar', length: 10 })
  issuedOn!: string;

  /** ISO date `YYYY-MM-DD`. */
  @Column({ name: 'due_on', type: 'varchar', length: 10 })
  dueOn!: string;

  @Column({ name: 'total_cents', type: 'integer' })
  totalCents!: number;

  /** "Paid", "Unpaid" or "Cancelled". */
  @Column({ type: 'varchar', length: 20 })
  status!: string;
}
