/** The entity list a host adds to its DataSource. */
import type { EntitySchema } from 'typeorm';
import { twoFactorAuditEventSchema, type TwoFactorAuditEventEntity } from './two-factor-audit-event-entity';
import { twoFactorBackupCodeSchema, type TwoFactorBackupCodeEntity } from './two-factor-backup-code-entity';
import { twoFactorCredentialSchema, type TwoFactorCredentialEntity } from './two-factor-credential-entity';
import {
  twoFactorEnrollmentDeadlineSchema,
  type TwoFactorEnrollmentDeadlineEntity,
} from './two-factor-enrollment-deadline-entity';
import {
  twoFactorPasswordThrottleSchema,
  type TwoFactorPasswordThrottleEntity,
} from './two-factor-password-throttle-entity';
import { twoFactorTrustedDeviceSchema, type TwoFactorTrustedDeviceEntity } from './two-factor-trusted-device-entity';

/**
 * Every entity of this package (as EntitySchemas targeting the exported entity classes), to spread
 * into the host DataSource's `entities`. Repositories are then available by class, e.g.
 * `dataSource.getRepository(TwoFactorCredentialEntity)`.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { twoFactorEntities, twoFactorMigrations } from '@secondfactor/typeorm';
 * const dataSource = new DataSource({
 *   type: 'better-sqlite3',
 *   database: 'app.sqlite',
 *   entities: [User, ...twoFactorEntities],
 *   migrations: [...twoFactorMigrations],
 * });
 * ```
 */
export const twoFactorEntities: [
  EntitySchema<TwoFactorCredentialEntity>,
  EntitySchema<TwoFactorBackupCodeEntity>,
  EntitySchema<TwoFactorAuditEventEntity>,
  EntitySchema<TwoFactorTrustedDeviceEntity>,
  EntitySchema<TwoFactorEnrollmentDeadlineEntity>,
  EntitySchema<TwoFactorPasswordThrottleEntity>,
] = [
  twoFactorCredentialSchema,
  twoFactorBackupCodeSchema,
  twoFactorAuditEventSchema,
  twoFactorTrustedDeviceSchema,
  twoFactorEnrollmentDeadlineSchema,
  twoFactorPasswordThrottleSchema,
];
