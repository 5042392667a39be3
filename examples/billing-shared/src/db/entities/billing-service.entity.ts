/** A product an account pays for (hosting plan, domain, …), shown in the client area. */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One service of a primary account. Called "service" in the client area, as billing panels do.
 */
@Entity({ name: 'services' })
export class BillingService {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** The primary account that owns it. */
  @Index('idx_services_account_id')
  @Column({ name: 'account_id', type: 'integer' })
  accountId!: number;

  @Column({ name: 'product_name', type: 'varchar', length: 120 })
  productName!: string;

  @Column({ type: 'varchar', length: 253 })
  domain!: string;

  /** "Active", "Suspended", "Pending" or "Cancelled". */
  @Column({ type: 'varchar', length: 20 })
  status!: string;

  @Column({ name: 'billing_cycle', type: 'varchar', length: 20 })
  billingCycle!: string;

  /** The recurring amount in cents, to avoid floating-point money. */
  @Column({ name: 'amount_cents', type: 'integer' })
  amountCents!: number;

  /** ISO date `YYYY-MM-DD`. */
  @Column({ name: 'next_due_date', type: 'varchar', length: 10 })
  nextDueDate!: string;
}
