/** The entity list a host adds to its DataSource. */
import { TwoFactorAuditEventEntity } from './two-factor-audit-event-entity';
import { TwoFactorBackupCodeEntity } from './two-factor-backup-code-entity';
import { TwoFactorCredentialEntity } from './two-factor-credential-entity';

/**
 * Every entity of this package, to spread into the host DataSource's `entities`.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { twoFactorEntities, twoFactorMigrations } from '@secondfactor/typeorm';
 * const dataSource = new DataSource({ type: 'better-sqlite3', database: 'app.sqlite', entities: [...twoFactorEntities], migrations: [...twoFactorMigrations] });
 * ```
 */
export const twoFactorEntities: [typeof TwoFactorCredentialEntity, typeof TwoFactorBackupCodeEntity, typeof TwoFactorAuditEventEntity] = [
  TwoFactorCredentialEntity,
  TwoFactorBackupCodeEntity,
  TwoFactorAuditEventEntity,
];
