/**
 * The site's own security events around the second factor: password step, logout, refusals,
 * sessions, password change, sub-accounts. Each is logged, and those about an account are written
 * to the audit table beside the 2FA events (S27, S31–S33).
 */
import type { TwoFactorEvent } from '@secondfactor/core';
import type { TypeOrmEventSink } from '@secondfactor/typeorm';

/** The kinds of site event. */
export const AccountEventType = {
  LoginSucceeded: 'login.succeeded',
  LoginFailed: 'login.failed',
  LoginThrottled: 'login.throttled',
  Logout: 'logout',
  Registered: 'account.registered',
  RegistrationEmailTaken: 'account.registration_taken',
  SubAccountCreated: 'account.sub_account_created',
  PasswordChanged: 'password.changed',
  PasswordChangeFailed: 'password.change_failed',
  SessionRevoked: 'session.revoked',
  OtherSessionsRevoked: 'session.others_revoked',
  CsrfRefused: 'request.csrf_refused',
  AccessRefused: 'request.refused',
} as const;

/** One of {@link AccountEventType}'s values. */
export type AccountEventTypeValue = (typeof AccountEventType)[keyof typeof AccountEventType];

/** A site event: who, what, why, from where. Never a password or a token. */
export interface AccountEvent {
  type: AccountEventTypeValue;
  /** The account concerned; events without one are logged, not audited. */
  userId?: string;
  /** Who acted, when not the user (the owner creating a sub-account). */
  actorId?: string;
  reason?: string;
  /** A count, e.g. how many sessions were revoked. */
  count?: number;
  retryAfterSeconds?: number;
  ip?: string;
  userAgent?: string;
  status?: number;
  path?: string;
}

/** Records site events. */
export type AccountEventRecorder = (event: AccountEvent) => Promise<void>;

/**
 * Builds the recorder: a log line for every event, an audit row for those about an account. The
 * audit row is awaited, so a broken audit table fails the request rather than hide it.
 */
export function createAccountEvents(input: {
  audit: TypeOrmEventSink;
  log: (line: string) => void;
  clock: () => Date;
}): AccountEventRecorder {
  return async (event) => {
    const at = input.clock();
    input.log(describeAccountEvent(event));
    if (event.userId === undefined) return;
    await input.audit({
      type: event.type,
      userId: event.userId,
      at,
      actorId: event.actorId,
      reason: event.reason,
      failureCount: event.count,
      retryAfterSeconds: event.retryAfterSeconds,
      ip: event.ip,
      userAgent: event.userAgent,
    } as unknown as TwoFactorEvent);
  };
}

/**
 * The event's log line: `account: <type>` and its fields as `key=value`, values JSON-quoted when
 * they hold spaces or quotes, so no client-chosen text can fake another field.
 */
export function describeAccountEvent(event: AccountEvent): string {
  const parts = [`account: ${event.type}`];
  const fields: Array<[string, unknown]> = [
    ['user', event.userId],
    ['actor', event.actorId],
    ['reason', event.reason],
    ['count', event.count],
    ['retryAfter', event.retryAfterSeconds],
    ['status', event.status],
    ['path', event.path],
    ['ip', event.ip],
  ];
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    const text = String(value);
    parts.push(`${name}=${/^[\w.:/@-]+$/.test(text) ? text : JSON.stringify(text)}`);
  }
  return parts.join(' ');
}
