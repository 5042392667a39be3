/**
 * Notification emails (S26, S30): the site writes each one as an `.eml` file into its outbox. One
 * customer goes through every notifiable event; exactly one email per event must arrive, to the
 * customer, with the event's subject, and none may carry a code or secret (S27). A replayed code
 * is mailed at most once per 15 minutes of the site's clock, however many replays arrive.
 */
import { base32Decode } from '@secondfactor/core';
import * as chai from 'chai';
import { waitOutBackoff } from './back-door';
import {
  beginEnrollment,
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  wrongCode,
} from './flows';
import { mailsTo, readOutbox } from './outbox';
import { findSecrets, rawSecretSpellings, type KnownSecret } from './secret-scan';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** The subject line (after "<site name>: ") the sites use for each notifiable event. */
const SUBJECTS: Record<string, string> = {
  enabled: 'Two-factor authentication is now on',
  disabled: 'Two-factor authentication was turned off',
  'admin.disabled': 'Support turned off two-factor authentication on your account',
  'backup_code.used': 'Your backup code was used to sign in',
  'backup_codes.regenerated': 'You have a new backup code',
  locked: 'Two-factor sign-in is locked after failed attempts',
  unlocked: 'Two-factor sign-in was unlocked',
  'code.replayed': 'A code that was already used was entered for your account',
};

/** The text of a mail, with quoted-printable soft breaks and escapes undone. */
function mailBody(raw: string): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).trim();
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(raw)) return body;
  return Buffer.from(
    body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/** Registers the notification tests against a started site. */
export function notificationTests(site: SiteUnderTest): void {
  describe('notifications', () => {
    describe('when a customer goes through every notifiable event', () => {
      it('S26: the outbox gets exactly one email per event, to the customer, with the right subject', async () => {
        const secrets: KnownSecret[] = [];
        const user = await enableTwoFactorUser(site.url, 'notify', site.clock);
        secrets.push({ kind: 'totp-secret', value: user.secret }, ...rawSecretSpellings(user.secret, base32Decode), {
          kind: 'password',
          value: user.password,
        });
        secrets.push(...user.backupCodes.map((value) => ({ kind: 'backup-code' as const, value })));
        // Failed codes and an enrollment start are events too, but not notifiable: no mail.
        const failing = await passwordStep(site.url, user);
        expect((await failing.challenge({ code: wrongCode(user.secret, site.clock) })).status).to.equal(401);

        const viaBackup = await passwordStep(site.url, user);
        const used = expectStatus(
          await viaBackup.challenge({ backupCode: user.backupCodes[0] }),
          200,
          'backup code login',
        );
        secrets.push(...(used.body.backupCodes as string[]).map((value) => ({ kind: 'backup-code' as const, value })));
        const regenerated = expectStatus(await viaBackup.regenerateBackupCodes(user.password), 200, 'regenerate');
        secrets.push(
          ...(regenerated.body.backupCodes as string[]).map((value) => ({ kind: 'backup-code' as const, value })),
        );
        expectStatus(await viaBackup.disable(user.password), 200, 'disable');

        const { secret } = await beginEnrollment(viaBackup);
        secrets.push({ kind: 'totp-secret', value: secret });
        const code = codeForStep(secret, currentStep(site.clock));
        secrets.push({ kind: 'totp-code', value: code });
        expectStatus(await viaBackup.confirm(code), 200, 'confirm again');

        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) {
          await waitOutBackoff(site, site.clock, user.email);
          const attacker = await passwordStep(site.url, user);
          statuses.push((await attacker.challenge({ code: wrongCode(secret, site.clock) })).status);
        }
        expect(statuses[9]).to.equal(423);
        const unlock = await site.admin(['2fa:unlock', user.email, '--actor', 'support:notify-test']);
        expect(unlock.exitCode, unlock.message).to.equal(0);
        const disable = await site.admin(['2fa:disable', user.email, '--actor', 'support:notify-test']);
        expect(disable.exitCode, disable.message).to.equal(0);

        const mails = mailsTo(site.dataDir, user.email);
        expect(mails.map((mail) => mail.event)).to.deep.equal([
          'enabled',
          'backup_code.used',
          'backup_codes.regenerated',
          'disabled',
          'enabled',
          'locked',
          'unlocked',
          'admin.disabled',
        ]);
        for (const mail of mails) {
          expect(mail.to, mail.file).to.contain(user.email);
          expect(mail.subject, mail.file).to.equal(`Acme Billing: ${SUBJECTS[mail.event as string]}`);
        }
        // S27: never a code, a secret, a backup code or the password in any email.
        const texts = Object.fromEntries(readOutbox(site.dataDir).map((mail) => [mail.file, mail.raw]));
        expect(findSecrets(texts, secrets)).to.deep.equal([]);
        // The site logs one line per mail, and that line holds no secret either.
        const log = site.logLines.join('\n');
        expect(log).to.contain(`mail: "Acme Billing: ${SUBJECTS.enabled}" to ${user.email}`);
        expect(findSecrets({ log }, secrets)).to.deep.equal([]);
      });
    });

    describe('when a code that was already used is entered again, in a burst and later', () => {
      it('S30: the customer gets one email per 15 minutes, however many replays arrive', async () => {
        const user = await enableTwoFactorUser(site.url, 'notify-replay', site.clock);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        expectStatus(await (await passwordStep(site.url, user)).challenge({ code }), 200, 'sign-in');
        const replayed = () => mailsTo(site.dataDir, user.email).filter((m) => m.event === 'code.replayed');

        // A C1 control and a User-Agent far over the limit: the mail quotes 200 clean characters.
        const userAgent = `Replayer\u0085/1.0 ${'A'.repeat(300)}`;
        const attackers = await Promise.all(Array.from({ length: 6 }, () => passwordStep(site.url, user)));
        const replays = await Promise.all(
          attackers.map((attacker) => attacker.challenge({ code }, { headers: { 'user-agent': userAgent } })),
        );
        expect(replays.map((res) => res.status)).to.deep.equal(Array(6).fill(401));
        expect((await attackers[0].challenge({ code })).status, 'a later replay in the window').to.equal(401);
        expect(replayed()).to.have.length(1);
        const [mail] = replayed();
        expect(mail.subject).to.equal(`Acme Billing: ${SUBJECTS['code.replayed']}`);
        const body = mailBody(mail.raw);
        expect(body).to.contain('A code that was already used was entered for your account');
        expect(body).to.contain(`Browser: ${`Replayer/1.0 ${'A'.repeat(300)}`.slice(0, 200)}\n`);
        expect(body).to.not.contain('\u0085');

        // Just inside the 15 minutes (the pending logins live 10, so a fresh one): still one mail.
        site.clock.advance({ minutes: 14, seconds: 50 });
        const stepCode = codeForStep(user.secret, currentStep(site.clock));
        expectStatus(await (await passwordStep(site.url, user)).challenge({ code: stepCode }), 200, 'sign-in again');
        const early = await (await passwordStep(site.url, user)).challenge({ code: stepCode });
        expect(early.status).to.equal(401);
        expect(replayed()).to.have.length(1);
        // Past them: the next replay is mailed again.
        site.clock.advance({ seconds: 20 });
        const late = await (await passwordStep(site.url, user)).challenge({ code: stepCode });
        expect(late.status, 'a replay, now outside its window too').to.equal(401);
        expect(replayed()).to.have.length(2);
      });
    });
  });
}
