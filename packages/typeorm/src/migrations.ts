/** The migration list a host adds to its DataSource. */
import { AddTwoFactorAuditRetentionIndex1795910400000 } from './add-two-factor-audit-retention-index-migration';
import { CreateTwoFactorEnrollmentDeadlines1796601600000 } from './create-two-factor-enrollment-deadlines-migration';
import { CreateTwoFactorPasswordThrottles1796688000000 } from './create-two-factor-password-throttles-migration';
import { CreateTwoFactorTables1764288000000 } from './create-two-factor-tables-migration';
import { CreateTwoFactorTrustedDevices1796515200000 } from './create-two-factor-trusted-devices-migration';

/**
 * Every migration of this package, oldest first, to spread into the host DataSource's `migrations`.
 * Each branches on the driver type, so the same list serves MySQL/MariaDB, SQLite and PostgreSQL.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { twoFactorEntities, twoFactorMigrations } from '@secondfactor/typeorm';
 * const dataSource = new DataSource({
 *   type: 'better-sqlite3',
 *   database: 'app.sqlite',
 *   entities: [...twoFactorEntities],
 *   migrations: [...twoFactorMigrations],
 * });
 * await dataSource.initialize();
 * await dataSource.runMigrations();
 * ```
 */
export const twoFactorMigrations: [
  typeof CreateTwoFactorTables1764288000000,
  typeof AddTwoFactorAuditRetentionIndex1795910400000,
  typeof CreateTwoFactorTrustedDevices1796515200000,
  typeof CreateTwoFactorEnrollmentDeadlines1796601600000,
  typeof CreateTwoFactorPasswordThrottles1796688000000,
] = [
  CreateTwoFactorTables1764288000000,
  AddTwoFactorAuditRetentionIndex1795910400000,
  CreateTwoFactorTrustedDevices1796515200000,
  CreateTwoFactorEnrollmentDeadlines1796601600000,
  CreateTwoFactorPasswordThrottles1796688000000,
];
