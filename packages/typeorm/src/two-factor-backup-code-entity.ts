/** One backup code per row, so using one is a single conditional update (DESIGN.md §3, S19). */
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';
import { TwoFactorCredentialEntity } from './two-factor-credential-entity';

/**
 * A backup code as stored in `two_factor_backup_codes`: its scrypt hash only (S18). Deleting the
 * credential deletes its codes (ON DELETE CASCADE).
 *
 * @example
 * ```ts
 * import { IsNull } from 'typeorm';
 * import { TwoFactorBackupCodeEntity } from '@secondfactor/typeorm';
 * const unused = await dataSource.getRepository(TwoFactorBackupCodeEntity).countBy({ credentialId, usedAt: IsNull() });
 * ```
 */
@Entity({ name: TWO_FACTOR_TABLE_NAMES.backupCodes })
@Index('IDX_two_factor_backup_codes_credential_id', ['credentialId'])
export class TwoFactorBackupCodeEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'credential_id', type: 'varchar', length: 36 })
  @ForeignKey(() => TwoFactorCredentialEntity, { name: 'FK_two_factor_backup_codes_credential_id', onDelete: 'CASCADE' })
  credentialId!: string;

  /** `scrypt$log2N$r$p$salt$hash`; never the code. */
  @Column({ name: 'hash', type: 'varchar', length: 255 })
  hash!: string;

  /** Set once, when the code is used; null while unused. */
  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
