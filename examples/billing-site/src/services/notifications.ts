/** Emails the account holder after every security-relevant 2FA change (S26). */
import { NOTIFIABLE_EVENT_TYPES, type TwoFactorEvent, type TwoFactorEventSink } from '@secondfactor/core';
import type { Mailer } from './mailer';

/** Options of {@link createNotificationSink}. */
export interface NotificationSinkOptions {
  mailer: Mailer;
  /** The recipient for a user id, or null when the user no longer exists. */
  findRecipient: (userId: string) => Promise<{ email: string; name: string } | null>;
  /** The site's name, for subjects and greetings. */
  siteName: string;
  /** The site's base URL, for the link to Security Settings. */
  publicUrl: string;
}

/**
 * The subject line for each notifiable event.
 *
 * @example
 * ```ts
 * NOTIFICATION_SUBJECTS.enabled; // 'Two-factor authentication is now on'
 * ```
 */
export const NOTIFICATION_SUBJECTS: Readonly<Record<string, string>> = Object.freeze({
  enabled: 'Two-factor authentication is now on',
  disabled: 'Two-factor authentication was turned off',
  'admin.disabled': 'Support turned off two-factor authentication on your account',
  'backup_code.used': 'Your backup code was used to sign in',
  'backup_codes.regenerated': 'You have a new backup code',
  locked: 'Two-factor sign-in is locked after failed attempts',
  unlocked: 'Two-factor sign-in was unlocked',
});

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
    'Two-factor sign-in to your account was locked after too many wrong codes. Contact support to unlock it. Your password may be known to someone else: consider changing it.',
  unlocked: 'Two-factor sign-in to your account was unlocked. You can sign in with your authenticator app again.',
};

/**
 * An event sink for `TwoFactorService({ onEvent })` that mails the user for every event in core's
 * `NOTIFIABLE_EVENT_TYPES`. The email says what happened, when and from where; never a code or secret.
 *
 * @example
 * ```ts
 * const service = new TwoFactorService({ ..., onEvent: [auditSink, createNotificationSink({ mailer, findRecipient, siteName, publicUrl })] });
 * ```
 */
export function createNotificationSink(options: NotificationSinkOptions): TwoFactorEventSink {
  return async (event: TwoFactorEvent) => {
    if (!NOTIFIABLE_EVENT_TYPES.has(event.type)) return;
    const recipient = await options.findRecipient(event.userId);
    if (!recipient) return;
    const subject = `${options.siteName}: ${NOTIFICATION_SUBJECTS[event.type] ?? 'Security change on your account'}`;
    const details = [`When: ${event.at.toUTCString()}`];
    if (event.ip) details.push(`IP address: ${event.ip}`);
    if (event.userAgent) details.push(`Browser: ${event.userAgent.slice(0, 200)}`);
    const text = [
      `Hello ${recipient.name},`,
      '',
      EXPLANATIONS[event.type] ?? 'A security setting of your account changed.',
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
