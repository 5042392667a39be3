/** Wires @secondfactor/core's service to this site: TypeORM store, password check, sub-account rule, audit and mail. */
import { TwoFactorEventType, TwoFactorService, type ScryptParams, type TwoFactorEvent } from '@secondfactor/core';
import {
  createTypeOrmEventSink,
  describeAuditBatchError,
  TypeOrmTwoFactorStore,
  type TypeOrmEventSink,
} from '@secondfactor/typeorm';
import type { DataSource } from 'typeorm';
import type { SiteConfig } from '../config';
import type { Mailer } from './mailer';
import { createNotificationSink } from './notifications';
import { NotificationThrottle } from './notification-throttle';
import type { UserAccounts } from './user-accounts';

/** Input of {@link createTwoFactorService}. */
export interface TwoFactorWiring {
  config: SiteConfig;
  dataSource: DataSource;
  accounts: UserAccounts;
  mailer: Mailer;
  log: (line: string) => void;
  /** The audit sink, from {@link createAuditSink}; whoever owns it closes it at shutdown. */
  audit: TypeOrmEventSink;
  clock?: () => Date;
  /** scrypt cost of the backup codes (S18). Default core's. */
  scrypt?: ScryptParams;
}

/**
 * The site's audit trail in `two_factor_audit_events` (S26, S27), given to the service as its
 * required `audit` sink.
 * - Failures, replays, locks and every state change are written before the request answers. If
 *   such a row cannot be written, the request fails with 503 `TWO_FACTOR_UNAVAILABLE`: a broken
 *   audit table cannot hide guesses. A guess is counted before its row is written.
 * - `code.verified`, one per sign-in and by far the most frequent event, is written in batches
 *   (up to 100 rows per INSERT, at most `batchMs` later), so a sign-in does not wait for it. A
 *   crash can lose the last `batchMs` of these rows; each event's log line is still printed.
 *   `close()` at shutdown writes what is queued. `batchMs` 0 writes every event before answering.
 */
export function createAuditSink(
  dataSource: DataSource,
  batchMs: number,
  log: (line: string) => void,
): TypeOrmEventSink {
  return createTypeOrmEventSink(dataSource, {
    ...(batchMs > 0 ? { batched: [TwoFactorEventType.CodeVerified], batchDelayMs: batchMs } : {}),
    onBatchError: (error, detail) => log(`2fa: ${describeAuditBatchError(error, detail)}`),
  });
}

/**
 * Builds the site's `TwoFactorService`.
 * - Secrets are stored by `TypeOrmTwoFactorStore`, encrypted with `SECONDFACTOR_KEYS` (S6).
 * - Sub-accounts are not eligible (as on a typical billing host; S9).
 * - With `TWO_FACTOR_REQUIRED=owners`, every owner must turn 2FA on within `TWO_FACTOR_GRACE_DAYS` (S36).
 * - Every event is audited in the database (see {@link createAuditSink}) and logged as one line;
 *   notifiable ones are mailed (S10, S26, S27), a replayed code at most once per 15 minutes (S30).
 *   The log line and the mail are best-effort: a failing mail server never fails a request.
 */
export function createTwoFactorService(wiring: TwoFactorWiring): TwoFactorService {
  const { config, dataSource, accounts, mailer, log } = wiring;
  return new TwoFactorService({
    store: new TypeOrmTwoFactorStore(dataSource),
    keyring: config.keyring,
    issuer: config.issuer,
    trustedDeviceDays: config.trustedDeviceDays,
    clock: wiring.clock,
    scrypt: wiring.scrypt,
    verifyPassword: (userId, password) => accounts.verifyPasswordById(userId, password),
    isEligible: async (userId) => !(await accounts.isSubAccount(userId)),
    // S31: every 2FA change ends the user's other sessions.
    rotateSecurityStamp: (userId) => accounts.rotateSecurityStamp(userId),
    // S36: "owners" are exactly the eligible accounts here, and the service never requires an
    // ineligible one, so the hook needs no query of its own. Without a policy there is no hook.
    requirement: config.twoFactorRequired === 'owners' ? () => ({ required: true }) : undefined,
    graceDays: config.twoFactorGraceDays,
    audit: wiring.audit,
    onEvent: [
      (event) => log(describeEvent(event)),
      createNotificationSink({
        mailer,
        siteName: config.issuer,
        publicUrl: config.publicUrl,
        throttle: new NotificationThrottle(dataSource),
        findRecipient: async (userId) => {
          const user = await accounts.findById(userId);
          return user ? { email: user.email, name: user.name } : null;
        },
      }),
    ],
    onEventError: (error, event) =>
      log(
        `2fa: event sink failed for ${event.type} (user ${event.userId}): ${error instanceof Error ? error.message : String(error)}`,
      ),
  });
}

/**
 * One log line for an event: who, what, why, from where. Events never carry codes or secrets (S27).
 */
export function describeEvent(event: TwoFactorEvent): string {
  const parts = [`2fa: ${event.type}`, `user=${event.userId}`];
  if (event.reason) parts.push(`reason=${event.reason}`);
  if (event.method) parts.push(`method=${event.method}`);
  if (event.actorId) parts.push(`actor=${event.actorId}`);
  if (event.failureCount !== undefined) parts.push(`failures=${event.failureCount}`);
  if (event.retryAfterSeconds !== undefined) parts.push(`retryAfter=${event.retryAfterSeconds}s`);
  if (event.ip) parts.push(`ip=${event.ip}`);
  return parts.join(' ');
}
