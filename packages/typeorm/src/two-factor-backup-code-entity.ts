/** One backup code per row, so using one is a single conditional update (docs/architecture.md#state-model, S19). */
import { EntitySchema } from 'typeorm';
import { INSTANT_COLUMN } from './instant-column';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';
import { twoFactorCredentialSchema } from './two-factor-credential-entity';

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
export class TwoFactorBackupCodeEntity {
  id!: string;
  credentialId!: string;
  /** `scrypt$log2N$r$p$salt$hash`; never the code. */
  hash!: string;
  /** Set once, when the code is used; null while unused. */
  usedAt!: Date | null;
  createdAt!: Date;
}

/** The mapping of {@link TwoFactorBackupCodeEntity}. */
export const twoFactorBackupCodeSchema = new EntitySchema<TwoFactorBackupCodeEntity>({
  name: 'TwoFactorBackupCodeEntity',
  target: TwoFactorBackupCodeEntity,
  tableName: TWO_FACTOR_TABLE_NAMES.backupCodes,
  columns: {
    id: { name: 'id', type: 'varchar', length: 36, primary: true },
    credentialId: { name: 'credential_id', type: 'varchar', length: 36 },
    hash: { name: 'hash', type: 'varchar', length: 255 },
    usedAt: { name: 'used_at', ...INSTANT_COLUMN, nullable: true },
    createdAt: { name: 'created_at', ...INSTANT_COLUMN },
  },
  indices: [{ name: 'IDX_two_factor_backup_codes_credential_id', columns: ['credentialId'] }],
  foreignKeys: [
    {
      name: 'FK_two_factor_backup_codes_credential_id',
      // By entity name: TypeORM calls a function target to resolve it, which a class cannot be.
      target: twoFactorCredentialSchema.options.name,
      columnNames: ['credentialId'],
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    },
  ],
});
