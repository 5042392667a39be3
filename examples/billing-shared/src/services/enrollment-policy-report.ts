/**
 * The admin side of the 2FA policy (S36): who is required, who has 2FA on, who is still in the
 * grace period and who is overdue; and the reminder mail three days before a deadline, sent at
 * most once per owner however often the job runs.
 */
import { formatDeadline } from '@secondfactor/web';
import type { SiteContext } from './site-context';

/** How long before the deadline the reminder goes out. */
export const REMINDER_BEFORE_DEADLINE_MS = 3 * 86_400_000;

/** One owner in the report. */
export interface ReportedOwner {
  userId: string;
  email: string;
  name: string;
  /** The grace deadline (ISO 8601), for owners without 2FA. */
  requiredBy: string | null;
}

/** What `2fa:report` prints. */
export interface EnrollmentReport {
  /** `TWO_FACTOR_REQUIRED`. */
  policy: 'none' | 'owners';
  graceDays: number;
  /** Primary accounts. */
  owners: number;
  /** Owners the policy requires. */
  required: number;
  /** Owners with 2FA on. */
  enabled: number;
  /** Required owners without 2FA whose deadline is ahead, soonest first. */
  inGrace: ReportedOwner[];
  /** Required owners without 2FA whose deadline has passed: they reach only enrollment. */
  overdue: ReportedOwner[];
}

/**
 * Reads every owner's status through the service, as the site does; an owner seen for the first
 * time under the policy gets a deadline now (and the "you have until …" mail).
 */
export async function enrollmentReport(context: SiteContext): Promise<EnrollmentReport> {
  const now = context.twoFactor.clock();
  const report: EnrollmentReport = {
    policy: context.config.twoFactorRequired,
    graceDays: context.config.twoFactorGraceDays,
    owners: 0,
    required: 0,
    enabled: 0,
    inGrace: [],
    overdue: [],
  };
  for (const owner of await context.accounts.listOwners()) {
    const status = await context.twoFactor.status(String(owner.id));
    report.owners += 1;
    if (status.enabled) report.enabled += 1;
    if (!status.required) continue;
    report.required += 1;
    if (status.enabled || !status.requiredBy) continue;
    const entry = {
      userId: String(owner.id),
      email: owner.email,
      name: owner.name,
      requiredBy: status.requiredBy.toISOString(),
    };
    (status.requiredBy <= now ? report.overdue : report.inGrace).push(entry);
  }
  report.inGrace.sort((a, b) => String(a.requiredBy).localeCompare(String(b.requiredBy)));
  return report;
}

/**
 * The report as plain text for support staff.
 */
export function describeEnrollmentReport(report: EnrollmentReport): string {
  const lines = [
    `Two-factor policy: ${report.policy === 'owners' ? `required for owners, ${report.graceDays} days of grace` : 'not required'}`,
    `Owners: ${report.owners}`,
    `Required: ${report.required}`,
    `Enabled: ${report.enabled}`,
    `In grace: ${report.inGrace.length}`,
    ...report.inGrace.map((o) => `  ${o.name} <${o.email}> (user ${o.userId}): until ${o.requiredBy}`),
    `Overdue: ${report.overdue.length}`,
    ...report.overdue.map((o) => `  ${o.name} <${o.email}> (user ${o.userId}): since ${o.requiredBy}`),
  ];
  return lines.join('\n');
}

/** What `2fa:remind` did. */
export interface ReminderRun {
  /** Owners mailed by this run. */
  reminded: ReportedOwner[];
}

/**
 * Mails the owners whose deadline is at most three days away and who have not turned 2FA on. Each
 * reminder is claimed in the database before it is sent, so a second run, or two at once, mail
 * nobody twice.
 */
export async function sendEnrollmentReminders(context: SiteContext): Promise<ReminderRun> {
  const report = await enrollmentReport(context);
  const now = context.twoFactor.clock().getTime();
  const reminded: ReportedOwner[] = [];
  for (const owner of report.inGrace) {
    const requiredBy = new Date(String(owner.requiredBy));
    if (requiredBy.getTime() - now > REMINDER_BEFORE_DEADLINE_MS) continue;
    if (!(await context.twoFactor.claimEnrollmentReminder(owner.userId))) continue;
    const site = context.config.issuer;
    await context.mailer.send({
      to: owner.email,
      subject: `${site}: Reminder: turn on two-factor authentication by ${formatDeadline(requiredBy)}`,
      text: [
        `Hello ${owner.name},`,
        '',
        `Your account requires two-factor authentication, and you have until ${formatDeadline(requiredBy)} to turn it on.`,
        'After that date you will be asked to set it up before you can use your account.',
        '',
        `Turn it on in Security Settings: ${context.config.publicUrl}/account/security`,
        '',
        `- ${site}`,
      ].join('\n'),
      headers: { 'X-Secondfactor-Event': 'enrollment.reminder' },
    });
    reminded.push(owner);
  }
  return { reminded };
}
