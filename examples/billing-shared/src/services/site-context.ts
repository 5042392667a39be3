/**
 * The sites' non-HTTP parts, built once and shared by the web apps and the admin CLI: the database,
 * user accounts, the mailer and the two-factor service with its audit and notification sinks.
 */
import { join } from 'node:path';
import { PasswordThrottle, type ScryptParams, type TwoFactorService } from '@secondfactor/core';
import { TypeOrmPasswordThrottleStore } from '@secondfactor/typeorm';
import type { DataSource } from 'typeorm';
import type { SiteConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { runMigrations } from '../db/migrate';
import { createAccountEvents, type AccountEventRecorder } from './account-events';
import { jsonLog } from './json-log';
import { createMailer, type Mailer } from './mailer';
import type { PasswordHashParams } from './password-hasher';
import { createAuditSink, createTwoFactorService } from './two-factor';
import { StepUpPasswords } from './step-up-passwords';
import { UserAccounts } from './user-accounts';

/** What {@link openSiteContext} returns. */
export interface SiteContext {
  config: SiteConfig;
  dataSource: DataSource;
  accounts: UserAccounts;
  mailer: Mailer;
  twoFactor: TwoFactorService;
  /** The throttled password check of "Confirm it's you" for users without 2FA (S29, S35). */
  stepUpPasswords: StepUpPasswords;
  /** The password step's throttle (S32): core's `PasswordThrottle` over `two_factor_password_throttles`. */
  loginThrottle: PasswordThrottle;
  /** Logs and audits the site's own security events. */
  recordEvent: AccountEventRecorder;
  /** The one-line log sink everything of the site writes to. */
  log: (line: string) => void;
  /** Migrations applied by this start. */
  appliedMigrations: string[];
  /** Writes the queued audit events, then closes the mailer and the database. */
  close(): Promise<void>;
}

/** Options of {@link openSiteContext}. */
export interface OpenSiteContextOptions {
  /** Log sink for one-line messages (mail, events). Default {@link jsonLog}: JSON lines with the request id. */
  log?: (line: string) => void;
  /** The 2FA service's clock, for tests. */
  clock?: () => Date;
  /**
   * The cost of the site's scrypt hashes: passwords and backup codes. Default the production cost;
   * tests that register thousands of users may lower it (the hashes carry their parameters).
   */
  hashCost?: SiteHashCost;
}

/** scrypt parameters of {@link OpenSiteContextOptions.hashCost}. */
export interface SiteHashCost {
  passwords: PasswordHashParams;
  backupCodes: ScryptParams;
}

/**
 * Connects to the database, runs migrations, and builds the services.
 */
export async function openSiteContext(config: SiteConfig, options: OpenSiteContextOptions = {}): Promise<SiteContext> {
  const log = options.log ?? jsonLog;
  const dataSource = createDataSource(config.database);
  let appliedMigrations: string[];
  try {
    appliedMigrations = await runMigrations(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  const accounts = new UserAccounts(dataSource, options.hashCost?.passwords);
  const mailer = createMailer({
    from: config.mailFrom,
    smtpUrl: config.smtpUrl,
    outboxDir: join(config.dataDir, 'outbox'),
    log,
  });
  const audit = createAuditSink(dataSource, config.auditBatchMs, log);
  const twoFactor = createTwoFactorService({
    config,
    dataSource,
    accounts,
    mailer,
    log,
    audit,
    clock: options.clock,
    scrypt: options.hashCost?.backupCodes,
  });
  const loginThrottle = new PasswordThrottle(new TypeOrmPasswordThrottleStore(dataSource), {
    policy: { addressLimit: config.loginIpLimit },
    clock: twoFactor.clock,
  });
  return {
    config,
    dataSource,
    accounts,
    mailer,
    twoFactor,
    stepUpPasswords: new StepUpPasswords(dataSource, accounts, twoFactor.clock),
    loginThrottle,
    recordEvent: createAccountEvents({ audit, log, clock: twoFactor.clock }),
    log,
    appliedMigrations,
    async close() {
      await audit.close();
      mailer.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
