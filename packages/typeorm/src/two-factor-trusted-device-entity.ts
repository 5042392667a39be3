/** One remembered browser per row (docs/architecture.md#state-model, S34): its token's SHA-256 hash, never the token. */
import { EntitySchema } from 'typeorm';
import { INSTANT_COLUMN } from './instant-column';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';
import { twoFactorCredentialSchema } from './two-factor-credential-entity';

/**
 * A trusted device as stored in `two_factor_trusted_devices`. Looking a token up is one read on the
 * unique `token_hash`; deleting the credential deletes its devices (ON DELETE CASCADE).
 *
 * @example
 * ```ts
 * import { TwoFactorTrustedDeviceEntity } from '@secondfactor/typeorm';
 * const devices = await dataSource.getRepository(TwoFactorTrustedDeviceEntity).countBy({ userId: '42' });
 * ```
 */
export class TwoFactorTrustedDeviceEntity {
  id!: string;
  userId!: string;
  credentialId!: string;
  /** Hex SHA-256 of the token; never the token. */
  tokenHash!: string;
  /** e.g. "Firefox on Windows"; display only. */
  label!: string;
  createdAt!: Date;
  /** Updated at most hourly; null until first used. */
  lastUsedAt!: Date | null;
  expiresAt!: Date;
}

/** The mapping of {@link TwoFactorTrustedDeviceEntity}. */
export const twoFactorTrustedDeviceSchema = new EntitySchema<TwoFactorTrustedDeviceEntity>({
  name: 'TwoFactorTrustedDeviceEntity',
  target: TwoFactorTrustedDeviceEntity,
  tableName: TWO_FACTOR_TABLE_NAMES.trustedDevices,
  columns: {
    id: { name: 'id', type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 255 },
    credentialId: { name: 'credential_id', type: 'varchar', length: 36 },
    tokenHash: { name: 'token_hash', type: 'varchar', length: 64 },
    label: { name: 'label', type: 'varchar', length: 100 },
    createdAt: { name: 'created_at', ...INSTANT_COLUMN },
    lastUsedAt: { name: 'last_used_at', ...INSTANT_COLUMN, nullable: true },
    expiresAt: { name: 'expires_at', ...INSTANT_COLUMN },
  },
  indices: [
    { name: 'UQ_two_factor_trusted_devices_token_hash', columns: ['tokenHash'], unique: true },
    { name: 'IDX_two_factor_trusted_devices_user_id_created_at', columns: ['userId', 'createdAt'] },
    { name: 'IDX_two_factor_trusted_devices_credential_id', columns: ['credentialId'] },
  ],
  foreignKeys: [
    {
      name: 'FK_two_factor_trusted_devices_credential_id',
      // By entity name: TypeORM calls a function target to resolve it, which a class cannot be.
      target: twoFactorCredentialSchema.options.name,
      columnNames: ['credentialId'],
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    },
  ],
});
