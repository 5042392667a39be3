/**
 * The credential row: one per user, pending or active (docs/architecture.md#state-model). Mapped with an EntitySchema
 * rather than decorators, so it works whatever decorator mode the host compiles with (legacy
 * `experimentalDecorators`, TC39 decorators, tsx/esbuild) and needs no decorator metadata.
 */
import type { CredentialRecord, CredentialState } from '@secondfactor/core';
import { EntitySchema, type ValueTransformer } from 'typeorm';
import { INSTANT_COLUMN } from './instant-column';
import { TWO_FACTOR_TABLE_NAMES } from './table-names';

/**
 * BIGINT comes back from mysql2 and pg as a string and from SQLite as a number; steps stay far below
 * 2^53, so a JS number is exact (S2).
 */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/**
 * A user's second factor as stored in `two_factor_credentials`. The secret is only ever an
 * AES-256-GCM envelope (S6). Dates are written from the service's clock, never by the database.
 * Use it as a repository target for reporting; change state only through `TypeOrmTwoFactorStore`.
 *
 * @example
 * ```ts
 * import { TwoFactorCredentialEntity } from '@secondfactor/typeorm';
 * const active = await dataSource.getRepository(TwoFactorCredentialEntity).countBy({ state: 'active' });
 * ```
 */
export class TwoFactorCredentialEntity implements CredentialRecord {
  /** A UUID chosen by the service; part of the ciphertext's AAD. */
  id!: string;
  /** The host's user id. No foreign key: the host owns its users table. */
  userId!: string;
  /** `pending` until confirmed, then `active`. */
  state!: CredentialState;
  /** `sf1.<keyId>.<iv>.<ciphertext>.<tag>`; never plaintext. */
  encryptedSecret!: string;
  /** The key that encrypted `encryptedSecret`, for rotation. */
  keyId!: string;
  pendingExpiresAt!: Date | null;
  /** The last accepted TOTP step (S12); 64-bit (S2). */
  lastUsedStep!: number | null;
  failureCount!: number;
  backoffUntil!: Date | null;
  lockedAt!: Date | null;
  createdAt!: Date;
  confirmedAt!: Date | null;
  updatedAt!: Date;
}

/** The mapping of {@link TwoFactorCredentialEntity}; every column has an explicit type and name. */
export const twoFactorCredentialSchema = new EntitySchema<TwoFactorCredentialEntity>({
  name: 'TwoFactorCredentialEntity',
  target: TwoFactorCredentialEntity,
  tableName: TWO_FACTOR_TABLE_NAMES.credentials,
  columns: {
    id: { name: 'id', type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 255 },
    state: { name: 'state', type: 'varchar', length: 16 },
    encryptedSecret: { name: 'encrypted_secret', type: 'varchar', length: 512 },
    keyId: { name: 'key_id', type: 'varchar', length: 32 },
    pendingExpiresAt: { name: 'pending_expires_at', ...INSTANT_COLUMN, nullable: true },
    lastUsedStep: { name: 'last_used_step', type: 'bigint', nullable: true, transformer: bigintAsNumber },
    failureCount: { name: 'failure_count', type: 'int', default: 0 },
    backoffUntil: { name: 'backoff_until', ...INSTANT_COLUMN, nullable: true },
    lockedAt: { name: 'locked_at', ...INSTANT_COLUMN, nullable: true },
    createdAt: { name: 'created_at', ...INSTANT_COLUMN },
    confirmedAt: { name: 'confirmed_at', ...INSTANT_COLUMN, nullable: true },
    updatedAt: { name: 'updated_at', ...INSTANT_COLUMN },
  },
  indices: [{ name: 'UQ_two_factor_credentials_user_id', columns: ['userId'], unique: true }],
});
