/**
 * Mails about the account around the second factor: a password change, a new sub-account, and a
 * registration attempt with an address already in use (S32). Best-effort: a failing mail server
 * is logged and never fails the request.
 */
import { NotificationThrottle } from './notification-throttle';
import type { SiteContext } from './site-context';

/** The mails of {@link sendAccountMail}, with their subjects. */
export const ACCOUNT_MAIL_SUBJECTS = {
  passwordChanged: 'Your password was changed',
  subAccountCreated: 'A user was added to your account',
  registrationAttempt: 'Someone tried to register with your email address',
} as const;

/** Input of {@link sendAccountMail}. */
export interface AccountMail {
  to: { id: number; email: string; name: string };
  kind: keyof typeof ACCOUNT_MAIL_SUBJECTS;
  /** The body after the greeting. */
  text: string;
  /** At most one mail of this kind to this user per window, decided in the database. */
  windowMs?: number;
}

/**
 * Sends one account mail, unless the window holds it back.
 */
export async function sendAccountMail(site: SiteContext, mail: AccountMail): Promise<void> {
  try {
    if (mail.windowMs !== undefined) {
      const claimed = await new NotificationThrottle(site.dataSource).claim({
        userId: String(mail.to.id),
        kind: `account.${mail.kind}`,
        at: site.twoFactor.clock(),
        windowMs: mail.windowMs,
      });
      if (!claimed) return;
    }
    const siteName = site.config.issuer;
    await site.mailer.send({
      to: mail.to.email,
      subject: `${siteName}: ${ACCOUNT_MAIL_SUBJECTS[mail.kind]}`,
      text: `Hello ${mail.to.name},\n\n${mail.text}\n\nIf this was not you, sign in at ${site.config.publicUrl}/login, change your password and review your sessions under Security Settings.\n\n${siteName}\n`,
    });
  } catch (error) {
    site.log(`mail: ${mail.kind} to user ${mail.to.id} failed: ${error instanceof Error ? error.name : 'error'}`);
  }
}
