/**
 * @secondfactor/typeorm: entities, migrations and an atomic `TwoFactorStore` for a host's existing
 * TypeORM DataSource on MySQL/MariaDB (mysql2), SQLite (better-sqlite3) or PostgreSQL (pg), the
 * password throttle's store (S32), an audit-event sink, audit retention and key rotation.
 */
export { AddTwoFactorAuditRetentionIndex1795910400000 } from './add-two-factor-audit-retention-index-migration';
export { CreateTwoFactorEnrollmentDeadlines1796601600000 } from './create-two-factor-enrollment-deadlines-migration';
export { CreateTwoFactorPasswordThrottles1796688000000 } from './create-two-factor-password-throttles-migration';
export { CreateTwoFactorTables1764288000000 } from './create-two-factor-tables-migration';
export { CreateTwoFactorTrustedDevices1796515200000 } from './create-two-factor-trusted-devices-migration';
export { dataSourceOptionsFromUrl } from './data-source-options-from-url';
export { twoFactorEntities } from './entities';
export { twoFactorMigrations } from './migrations';
export {
  pruneTwoFactorEvents,
  type PrunedTwoFactorEvents,
  type PruneTwoFactorEventsOptions,
} from './prune-two-factor-events';
export { reencryptSecrets, type ReencryptionProgress, type ReencryptSecretsOptions } from './reencrypt-secrets';
export { TwoFactorStoreUnavailable } from './store-unavailable';
export { TWO_FACTOR_TABLE_NAMES } from './table-names';
export { TwoFactorAuditEventEntity } from './two-factor-audit-event-entity';
export { TwoFactorBackupCodeEntity } from './two-factor-backup-code-entity';
export { TwoFactorCredentialEntity } from './two-factor-credential-entity';
export { TwoFactorEnrollmentDeadlineEntity } from './two-factor-enrollment-deadline-entity';
export { TwoFactorPasswordThrottleEntity } from './two-factor-password-throttle-entity';
export { TwoFactorTrustedDeviceEntity } from './two-factor-trusted-device-entity';
export type { AuditBatchErrorDetail } from './audit-event-batch';
export {
  listTwoFactorEvents,
  type ListTwoFactorEventsOptions,
  type StoredTwoFactorEvent,
} from './list-two-factor-events';
export {
  createTypeOrmEventSink,
  describeAuditBatchError,
  type TypeOrmEventSink,
  type TypeOrmEventSinkOptions,
} from './typeorm-event-sink';
export { TypeOrmPasswordThrottleStore } from './typeorm-password-throttle-store';
export { TypeOrmTwoFactorStore } from './typeorm-two-factor-store';
