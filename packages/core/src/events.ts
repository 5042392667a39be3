/**
 * Typed lifecycle and failure events (S26, S27, S30). An event never carries a code, secret,
 * backup code or otpauth URI: only who, what, why and request metadata.
 */

/** Request metadata a caller passes into the service so events can be audited. */
export interface RequestMeta {
  /** Client IP address as the host sees it. */
  ip?: string;
  /** The client's User-Agent header. */
  userAgent?: string;
}

/** Every event type the service emits. */
export const TwoFactorEventType = {
  EnrollmentStarted: 'enrollment.started',
  /** 2FA was turned on (notify). */
  Enabled: 'enabled',
  EnrollmentFailed: 'enrollment.failed',
  CodeVerified: 'code.verified',
  CodeFailed: 'code.failed',
  /** A valid code for an already used step (S15); notify, someone may have seen the code (S30). */
  CodeReplayed: 'code.replayed',
  /** A backup code signed the user in (notify). */
  BackupCodeUsed: 'backup_code.used',
  BackupCodeFailed: 'backup_code.failed',
  /** New backup codes replaced the old ones (notify). */
  BackupCodesRegenerated: 'backup_codes.regenerated',
  /** The user turned 2FA off (notify). */
  Disabled: 'disabled',
  /** Support turned 2FA off for the user (notify, audited). */
  AdminDisabled: 'admin.disabled',
  /** An attempt arrived during backoff and was refused uncounted. */
  Throttled: 'throttled',
  /** Too many consecutive failures: the factor is locked (notify). */
  Locked: 'locked',
  /** An attempt on a locked factor was refused. */
  LockedAttempt: 'locked.attempt',
  /** The lock was lifted by an admin or a host-approved recovery (notify). */
  Unlocked: 'unlocked',
  /** Re-authentication with the password failed on disable, regenerate or a step-up without 2FA (S35). */
  ReauthFailed: 'reauth.failed',
  /** A sensitive action was confirmed in a signed-in session: a code, a backup code, or the password without 2FA (S35). */
  StepUpConfirmed: 'step_up.confirmed',
  /** An ineligible account (e.g. a sub-account) tried a state change. */
  NotEligible: 'not_eligible',
  /** The 2FA policy first required the user to enroll, by `requiredBy` (notify: "you have until …", S36). */
  EnrollmentRequired: 'enrollment.required',
  /** A browser was remembered: it skips the second factor until it expires (S34; notify). */
  TrustedDeviceAdded: 'trusted_device.added',
  /** A remembered browser skipped the second factor; emitted with its last-used update, at most hourly (S34). */
  TrustedDeviceUsed: 'trusted_device.used',
  /** The user revoked one remembered browser (S34). */
  TrustedDeviceRevoked: 'trusted_device.revoked',
  /** Every remembered browser of the user was revoked; `reason` says why (S34). */
  TrustedDevicesRevoked: 'trusted_devices.revoked',
} as const;

/** One of the values of {@link TwoFactorEventType}. */
export type TwoFactorEventTypeValue = (typeof TwoFactorEventType)[keyof typeof TwoFactorEventType];

/**
 * The event types after which the host should notify the user (S26, S30). `code.replayed` can come
 * in bursts (a double submit, or an attacker replaying a seen code): hosts should mail it at most
 * once per user in a window, as the example site does.
 */
export const NOTIFIABLE_EVENT_TYPES: ReadonlySet<TwoFactorEventTypeValue> = new Set<TwoFactorEventTypeValue>([
  TwoFactorEventType.Enabled,
  TwoFactorEventType.Disabled,
  TwoFactorEventType.AdminDisabled,
  TwoFactorEventType.BackupCodeUsed,
  TwoFactorEventType.BackupCodesRegenerated,
  TwoFactorEventType.Locked,
  TwoFactorEventType.Unlocked,
  TwoFactorEventType.CodeReplayed,
  TwoFactorEventType.EnrollmentRequired,
  TwoFactorEventType.TrustedDeviceAdded,
]);

/**
 * Why an attempt failed or a state changed. Precise reasons live here, never in client messages (S14).
 */
export type TwoFactorEventReason =
  | 'invalid_code'
  | 'malformed_input'
  | 'replayed'
  | 'concurrent_failure'
  | 'expired_enrollment'
  | 'no_pending_enrollment'
  | 'not_enabled'
  | 'already_enabled'
  | 'invalid_user_id'
  | 'backoff'
  | 'locked'
  | 'wrong_password'
  | 'not_eligible'
  | 'admin'
  | 'recovery'
  | 'required_by_policy'
  | 'policy'
  | 'user'
  | 'password_changed';

/** One event. `userId` is the subject; `actorId` is set when support acted on the user's behalf. */
export interface TwoFactorEvent extends RequestMeta {
  /** What happened. */
  type: TwoFactorEventTypeValue;
  /** The subject user. */
  userId: string;
  /** When it happened, from the service's clock. */
  at: Date;
  /** Why, for failures and admin actions. */
  reason?: TwoFactorEventReason;
  /** Which factor was used or attempted; `password` only for a step-up without 2FA (S35). */
  method?: 'totp' | 'backup_code' | 'password';
  /** The support user who acted, for admin actions. */
  actorId?: string;
  /** Consecutive failures after this event, for failures and locks. */
  failureCount?: number;
  /** Whole seconds until the next attempt is allowed, for throttling. */
  retryAfterSeconds?: number;
  /** The enrollment deadline, for `enrollment.required` (S36). */
  requiredBy?: Date;
}

/**
 * Receives events. It may be async; the service awaits it. Given as the service's `audit` option, a
 * sink that throws fails the operation with a 503 (`StoreUnavailableError`), so the audit trail is
 * never silently lost; given in `onEvent`, it is best-effort: a throw goes to `onEventError` and
 * the outcome stands.
 */
export type TwoFactorEventSink = (event: TwoFactorEvent) => void | Promise<void>;
