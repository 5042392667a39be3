/** Emails the account holder after every security-relevant 2FA change (S26) and a replayed code (S30). */
import {
  NOTIFIABLE_EVENT_TYPES,
  TwoFactorEventType,
  type TwoFactorEvent,
  type TwoFactorEventSink,
} from '@secondfactor/core';
import { formatDeadline } from '@secondfactor/web';
import type { Mailer } from './mailer';
import { mailSafeUserAgent } from './mail-text';
import type { NotificationClaim } from './notification-throttle';

/** Options of {@link createNotificationSink}. */
export interface NotificationSinkOptions {
  mailer: Mailer;
  /** The recipient for a user id, or null when the user no longer exists. */
  findRecipient: (userId: string) => Promise<{ email: string; name: string } | null>;
  /** The site's name, for subjects and greetings. */
  siteName: string;
  /** The site's base URL, for the link to Security Settings. */
  publicUrl: string;
  /** Decides whether a mail of a kind in {@link REPEAT_WINDOWS_MS} may go out now (a `NotificationThrottle`). */
  throttle: { claim(input: NotificationClaim): Promise<boolean> };
}

/**
 * Kinds of mail that can come in bursts, with the shortest time between two of them to one user.
 * A replayed code is mailed at most once per 15 minutes (S30): a double submit or an attacker
 * replaying a seen code sends one mail, not one per attempt.
 */
export const REPEAT_WINDOWS_MS: Readonly<Partial<Record<string, number>>> = Object.freeze({
  [TwoFactorEventType.CodeReplayed]: 15 * 60_000,
});

/**
 * The subject line for each notifiable event.
 */
export const NOTIFICATION_SUBJECTS: Readonly<Record<string, string>> = Object.freeze({
  enabled: 'Two-factor authentication is now on',
  disabled: 'Two-factor authentication was turned off',
  'admin.disabled': 'Support turned off two-factor authentication on your account',
  'backup_code.used': 'Your backup code was used to sign in',
  'backup_codes.regenerated': 'You have a new backup code',
  locked: 'Two-factor sign-in is locked after failed attempts',
  unlocked: 'Two-factor sign-in was unlocked',
  'code.replayed': 'A code that was already used was entered for your account',
  'enrollment.required': 'Please turn on two-factor authentication',
  'trusted_device.added': 'A new browser was remembered for your account',
});

/**
 * What the "you have until …" mail says (S36): the account now requires 2FA, and by when.
 */
export function enrollmentRequiredText(requiredBy: Date): string {
  return (
    `Your account now requires two-factor authentication. You have until ${formatDeadline(requiredBy)} to turn it on in Security Settings. ` +
    'After that date you will be asked to set it up before you can use your account.'
  );
}

const EXPLANATIONS: Readonly<Record<string, string>> = {
  enabled:
    'Two-factor authentication was turned on for your account. From now on, signing in needs your password and a six-digit code from your authenticator app.',
  disabled: 'Two-factor authentication was turned off for your account. Signing in now needs only your password.',
  'admin.disabled':
    'Our support team turned off two-factor authentication for your account, at your request. Signing in now needs only your password. We recommend turning it back on in Security Settings.',
  'backup_code.used':
    'Your backup code was used to sign in to your account. Backup codes are valid once only, so a new one was shown at sign-in. If you lost your device, turn two-factor authentication off and on again to set up the new device.',
  'backup_codes.regenerated': 'A new backup code was generated for your account. The previous one no longer works.',
  locked:
    'Two-factor sign-in to your account was locked after too many wrong codes or passwords. Contact support to unlock it. Your password may be known to someone else: consider changing it.',
  unlocked: 'Two-factor sign-in to your account was unlocked. You can sign in with your authenticator app again.',
  'code.replayed':
    'A code that was already used was entered for your account, and it was refused. ' +
    'If you just signed in and sent the code twice, you can ignore this. ' +
    'Otherwise someone knows your password and saw one of your codes: change your password now.',
  'trusted_device.added':
    'A new browser was remembered for your account: signing in there now needs only your password, until it expires or you revoke it. ' +
    'You can see and revoke remembered browsers under Trusted devices in your Security Settings.',
};

/**
 * An event sink for `TwoFactorService({ onEvent })` that mails the user for every event in core's
 * `NOTIFIABLE_EVENT_TYPES`. The email says what happened, when and from where; never a code or secret.
 * Kinds in {@link REPEAT_WINDOWS_MS} go out only when `throttle` lets them.
 */
export function createNotificationSink(options: NotificationSinkOptions): TwoFactorEventSink {
  return async (event: TwoFactorEvent) => {
    if (!NOTIFIABLE_EVENT_TYPES.has(event.type)) return;
    const recipient = await options.findRecipient(event.userId);
    if (!recipient) return;
    const windowMs = REPEAT_WINDOWS_MS[event.type];
    if (windowMs && !(await options.throttle.claim({ userId: event.userId, kind: event.type, at: event.at, windowMs })))
      return;
    const subject = `${options.siteName}: ${NOTIFICATION_SUBJECTS[event.type] ?? 'Security change on your account'}`;
    const details = [`When: ${event.at.toUTCString()}`];
    if (event.ip) details.push(`IP address: ${event.ip}`);
    const browser = event.userAgent ? mailSafeUserAgent(event.userAgent) : '';
    if (browser) details.push(`Browser: ${browser}`);
    const text = [
      `Hello ${recipient.name},`,
      '',
      event.type === TwoFactorEventType.EnrollmentRequired && event.requiredBy
        ? enrollmentRequiredText(event.requiredBy)
        : (EXPLANATIONS[event.type] ?? 'A security setting of your account changed.'),
      '',
      ...details,
      '',
      `Review your Security Settings: ${options.publicUrl}/account/security`,
      '',
      "If this wasn't you, contact support right away.",
      '',
      `- ${options.siteName}`,
    ].join('\n');
    await options.mailer.send({ to: recipient.email, subject, text, headers: { 'X-Secondfactor-Event': event.type } });
  };
}
