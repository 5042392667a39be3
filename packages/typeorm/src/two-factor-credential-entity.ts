/** The credential row: one per user, pending or active (DESIGN.md §3). */
import type { CredentialRecord, CredentialState } from '@secondfactor/core';
import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/**
 * BIGINT comes back from mysql2 as a string (bigNumberStrings) and from SQLite as a number; steps
 * stay far below 2^53, so a JS number is exact (S2).
 */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/**
 * A user's second factor as stored in `two_factor_credentials`. The secret is only ever an
 * AES-256-GCM envelope (S6). Dates are written from the service's clock, never by the database.
 *
 * @example
 * ```ts
 * import { TwoFactorCredentialEntity } from '@secondfactor/typeorm';
 * const active = await dataSource.getRepository(TwoFactorCredentialEntity).countBy({ state: 'active' });
 * ```
 */
@Entity({ name: TWO_FACTOR_TABLE_NAMES.credentials })
@Index('UQ_two_factor_credentials_user_id', ['userId'], { unique: true })
export class TwoFactorCredentialEntity implements CredentialRecord {
  /** A UUID chosen by the service; part of the ciphertext's AAD. */
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  /** The host's user id. No foreign key: the host owns its users table. */
  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  /** `pending` until confirmed, then `active`. */
  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: CredentialState;

  /** `sf1.<keyId>.<iv>.<ciphertext>.<tag>`; never plaintext. */
  @Column({ name: 'encrypted_secret', type: 'varchar', length: 512 })
  encryptedSecret!: string;

  /** The key that encrypted `encryptedSecret`, for rotation. */
  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId!: string;

  @Column({ name: 'pending_expires_at', type: 'datetime', precision: 3, nullable: true })
  pendingExpiresAt!: Date | null;

  /** The last accepted TOTP step (S12); 64-bit (S2). */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  lastUsedStep!: number | null;

  @Column({ name: 'failure_count', type: 'int', default: 0 })
  failureCount!: number;

  @Column({ name: 'backoff_until', type: 'datetime', precision: 3, nullable: true })
  backoffUntil!: Date | null;

  @Column({ name: 'locked_at', type: 'datetime', precision: 3, nullable: true })
  lockedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'confirmed_at', type: 'datetime', precision: 3, nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
