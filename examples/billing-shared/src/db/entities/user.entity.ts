/** A login of the billing site: a primary account, or a sub-account of one (`parentId`). */
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The site's users table. Sub-accounts share their owner's services and invoices and may not use
 * two-factor authentication (as on a typical billing host; S9).
 */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** The owning primary account for a sub-account; null for a primary account. */
  @Index('idx_users_parent_id')
  @Column({ name: 'parent_id', type: 'integer', nullable: true })
  parentId!: number | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Lower-cased at registration, so lookups are exact. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** `scrypt$N$r$p$salt$hash`, see `services/password-hasher.ts`. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  /**
   * Rotated on every security change: 2FA on or off, new backup codes, a password change (S31).
   * A session that signed in with another stamp is signed out at its next request. Null until the
   * first rotation (or for rows older than the column): sessions then record none.
   */
  @Column({ name: 'security_stamp', type: 'varchar', length: 64, nullable: true })
  securityStamp!: string | null;

  /** `Date`: TypeORM maps it per driver (`datetime` on SQLite and MySQL, `timestamp` on PostgreSQL). */
  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt!: Date;
}
