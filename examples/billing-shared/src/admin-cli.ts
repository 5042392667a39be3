/**
 * Support tooling of both sites:
 * `npm run admin -- 2fa:status|2fa:disable|2fa:unlock <email> [--actor <name>] [--json]`, and
 * `2fa:report` and `2fa:remind` for the 2FA policy (S36).
 * Support can turn 2FA off or lift a brute-force lock, never turn it on (S10). Every action goes
 * through the same service as the sites, so it is audited and the customer gets an email (S10, S16).
 */
import { userInfo } from 'node:os';
import { loadConfig } from './config';
import { parseEmail } from './services/account-input';
import {
  describeEnrollmentReport,
  enrollmentReport,
  sendEnrollmentReminders,
} from './services/enrollment-policy-report';
import { openSiteContext, type SiteContext } from './services/site-context';

/**
 * Exit codes, so scripts can tell outcomes apart.
 */
export const AdminExitCode = { Ok: 0, Failed: 1, Usage: 2, UnknownUser: 3, Conflict: 4 } as const;

const USAGE = `Usage: npm run admin -- <command> [<email>] [--actor <name>] [--json]

Commands:
  2fa:status <email>    Show whether two-factor authentication is on, locked, and how many backup codes remain.
  2fa:disable <email>   Turn two-factor authentication off (the customer lost their phone and backup code).
  2fa:unlock <email>    Lift the lock after too many wrong codes.
  2fa:report            Owners required to use two-factor authentication: enabled, in grace (with deadlines), overdue.
  2fa:remind            Email owners whose deadline is 3 days away or less; each is reminded once (run it from cron).

Options:
  --actor <name>        Who is acting, for the audit trail (default: cli:<os user>).
  --json                Print the result as JSON.

Every disable and unlock is written to the audit table and emailed to the customer.`;

/** A parsed command line. */
export type AdminCommand = UserCommand | PolicyCommand;

/** A command about one customer, named by email. */
export interface UserCommand {
  command: '2fa:status' | '2fa:disable' | '2fa:unlock';
  email: string;
  actor: string;
  json: boolean;
}

/** A command of the 2FA policy (S36): about every owner, so without an email. */
export interface PolicyCommand {
  command: '2fa:report' | '2fa:remind';
  actor: string;
  json: boolean;
}

/**
 * Parses the arguments after `npm run admin --`. Returns an error message for bad usage.
 */
export function parseAdminArgs(argv: readonly string[]): AdminCommand | { error: string } {
  const rest: string[] = [];
  let actor = `cli:${safeUsername()}`;
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--actor') {
      const value = argv[i + 1];
      if (!value || value.startsWith('--')) return { error: '--actor needs a name.' };
      actor = value.slice(0, 100);
      i += 1;
    } else if (arg === '--help' || arg === '-h') return { error: '' };
    else rest.push(arg);
  }
  const [command, rawEmail, ...extra] = rest;
  if (command === '2fa:report' || command === '2fa:remind') {
    if (rawEmail !== undefined) return { error: `Unexpected argument "${rawEmail}".` };
    return { command, actor, json };
  }
  if (command !== '2fa:status' && command !== '2fa:disable' && command !== '2fa:unlock')
    return { error: command ? `Unknown command "${command}".` : 'Missing command.' };
  const email = parseEmail(rawEmail);
  if (!email) return { error: `${command} needs the customer's email address.` };
  if (extra.length) return { error: `Unexpected argument "${extra[0]}".` };
  return { command, email, actor, json };
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The outcome of one command, for printing. */
export interface AdminResult {
  exitCode: number;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Runs one admin command against an open site context.
 */
export async function runAdminCommand(context: SiteContext, command: AdminCommand): Promise<AdminResult> {
  if (!isUserCommand(command)) return runPolicyCommand(context, command);
  const user = await context.accounts.findByEmail(command.email);
  if (!user)
    return {
      exitCode: AdminExitCode.UnknownUser,
      message: `No account with the email ${command.email}.`,
      data: { email: command.email, found: false },
    };
  const userId = String(user.id);
  const who = `${user.name} <${user.email}> (user ${user.id}${user.parentId !== null ? `, sub-account of user ${user.parentId}` : ''})`;
  const meta = { userAgent: `admin-cli (${command.actor})` };
  if (command.command === '2fa:status') {
    const status = await context.twoFactor.status(userId);
    const state = status.enabled
      ? status.locked
        ? 'ON, LOCKED after too many wrong codes'
        : 'ON'
      : status.eligible
        ? 'off'
        : 'not available (sub-account)';
    const lines = [`${who}`, `  Two-factor authentication: ${state}`];
    if (status.enabled) {
      lines.push(`  Enabled since: ${status.enabledAt ? status.enabledAt.toISOString() : 'unknown'}`);
      lines.push(`  Backup codes remaining: ${status.backupCodesRemaining}`);
    }
    if (status.pending) lines.push('  An enrollment is waiting for confirmation.');
    // S36: under the 2FA policy, by when the customer must turn it on.
    if (status.required && !status.enabled && status.requiredBy)
      lines.push(
        status.requiredBy <= context.twoFactor.clock()
          ? `  Required by policy: overdue since ${status.requiredBy.toISOString()} (only enrollment is reachable)`
          : `  Required by policy: until ${status.requiredBy.toISOString()}`,
      );
    return { exitCode: AdminExitCode.Ok, message: lines.join('\n'), data: { email: user.email, userId, ...status } };
  }
  if (command.command === '2fa:disable') {
    const outcome = await context.twoFactor.adminDisable({ userId, actorId: command.actor, meta });
    if (!outcome.ok)
      return {
        exitCode: AdminExitCode.Conflict,
        message: `${who}: ${outcome.error.message}`,
        data: { email: user.email, userId, error: outcome.error.code },
      };
    return {
      exitCode: AdminExitCode.Ok,
      message: `${who}: two-factor authentication is now off. The customer was emailed; the action is in the audit log as ${command.actor}.`,
      data: { email: user.email, userId, disabled: true },
    };
  }
  const outcome = await context.twoFactor.adminUnlock({ userId, actorId: command.actor, meta });
  if (!outcome.ok)
    return {
      exitCode: AdminExitCode.Conflict,
      message: `${who}: ${outcome.error.message}`,
      data: { email: user.email, userId, error: outcome.error.code },
    };
  return {
    exitCode: AdminExitCode.Ok,
    message: outcome.wasLocked
      ? `${who}: unlocked. The customer was emailed; the action is in the audit log as ${command.actor}.`
      : `${who}: was not locked; the failure counter was reset.`,
    data: { email: user.email, userId, unlocked: true, wasLocked: outcome.wasLocked },
  };
}

function isUserCommand(command: AdminCommand): command is UserCommand {
  return 'email' in command;
}

/** `2fa:report` and `2fa:remind` (S36). */
async function runPolicyCommand(context: SiteContext, command: PolicyCommand): Promise<AdminResult> {
  if (command.command === '2fa:report') {
    const report = await enrollmentReport(context);
    return {
      exitCode: AdminExitCode.Ok,
      message: describeEnrollmentReport(report),
      data: report as unknown as Record<string, unknown>,
    };
  }
  const { reminded } = await sendEnrollmentReminders(context);
  return {
    exitCode: AdminExitCode.Ok,
    message:
      reminded.length === 0
        ? 'No owner is due a reminder.'
        : [
            `Reminded ${reminded.length} owner(s):`,
            ...reminded.map((o) => `  ${o.name} <${o.email}>: until ${o.requiredBy}`),
          ].join('\n'),
    data: { reminded },
  };
}

/**
 * The command line: parses `argv`, runs the command on the site's database (the same environment as
 * the site) and prints the result. Answers the process exit code; never throws.
 */
export async function runAdminCli(argv: readonly string[], options: { siteDir: string }): Promise<number> {
  try {
    return await runParsed(argv, options.siteDir);
  } catch (error) {
    console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
    return AdminExitCode.Failed;
  }
}

async function runParsed(argv: readonly string[], siteDir: string): Promise<number> {
  const parsed = parseAdminArgs(argv);
  if ('error' in parsed) {
    if (parsed.error) console.error(parsed.error);
    console.error(USAGE);
    return parsed.error ? AdminExitCode.Usage : AdminExitCode.Ok;
  }
  const config = loadConfig(process.env, { siteDir });
  for (const warning of config.warnings) console.error(`warning: ${warning}`);
  // Mail and event lines go to stderr so stdout holds only the result (scriptable with --json).
  const context = await openSiteContext(config, { log: (line) => console.error(line) });
  try {
    const result = await runAdminCommand(context, parsed);
    console.log(parsed.json ? JSON.stringify(result.data) : result.message);
    return result.exitCode;
  } finally {
    await context.close();
  }
}
