/**
 * The support CLI of the example sites (`npm run admin -- 2fa:status|2fa:disable|2fa:unlock <email>`),
 * spawned as a process against a site's database: support can turn 2FA off or lift a lock, never
 * turn it on; each action is audited and the customer is emailed (S10, S16). The customers are set
 * up on a site built in this process, on its fake clock.
 */
import { randomBytes } from 'node:crypto';
import {
  auditEventTypes,
  codeForStep,
  credentialOf,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  mailsTo,
  passwordStep,
  registerUser,
  userIdByEmail,
  waitOutBackoff,
  wrongCode,
  type SiteUnderTest,
} from '@secondfactor/test-utils';
import * as chai from 'chai';
import { createApp } from '../../examples/billing-site/dist/app';
import { runAdminCli, type AdminCliTarget } from '../support/admin-cli';
import { InProcessSite } from '../support/in-process-site';
import { BACKENDS, prepareStorage, type Storage } from '../support/site-fixture';

const { expect } = chai;

for (const backend of BACKENDS) {
  describe(`Admin CLI of the example sites (${backend})`, function () {
    this.timeout(120_000);
    const keys = {
      secondFactor: `k1:${randomBytes(32).toString('base64')}`,
      session: randomBytes(32).toString('base64'),
    };
    let storage: Storage;
    let handle: SiteUnderTest;
    before(async function () {
      storage = await prepareStorage(this, backend, 'admin');
      handle = await InProcessSite.start({ createApp, backend, storage, env: {}, keys });
    });
    after(async () => {
      await handle?.stop();
    });
    const target = (): AdminCliTarget => ({
      databaseUrl: storage.databaseUrl,
      keys: keys.secondFactor,
      dataDir: storage.dataDir,
    });

    describe('when support asks for the status', () => {
      it('prints whether 2FA is on and how many backup codes remain, changing nothing', async () => {
        const user = await enableTwoFactorUser(handle.url, 'cli-status', handle.clock);
        const text = await runAdminCli(target(), ['2fa:status', user.email]);
        expect(text.code, text.stderr).to.equal(0);
        expect(text.stdout)
          .to.contain(user.email)
          .and.contain('Two-factor authentication: ON')
          .and.contain('Backup codes remaining: 1');
        const json = await runAdminCli(target(), ['2fa:status', user.email, '--json']);
        expect(JSON.parse(json.stdout)).to.include({
          email: user.email,
          enabled: true,
          locked: false,
          eligible: true,
          backupCodesRemaining: 1,
        });
        expect((await credentialOf(handle, user.email))?.state).to.equal('active');
      });
    });

    describe('when support disables 2FA for a customer who lost the device', () => {
      it('S10: turns it off, audits the actor, emails the customer, and the password alone signs in again', async () => {
        const user = await enableTwoFactorUser(handle.url, 'cli-disable', handle.clock);
        const result = await runAdminCli(target(), ['2fa:disable', user.email, '--actor', 'support:jane']);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.contain('two-factor authentication is now off');
        expect(await credentialOf(handle, user.email)).to.equal(null);
        expect(await auditEventTypes(handle, user.email)).to.include('admin.disabled');
        const userId = await userIdByEmail(handle, user.email);
        const rows = await handle.sql<Record<string, unknown>>(
          'SELECT * FROM two_factor_audit_events WHERE user_id = ?',
          [userId],
        );
        const audit = rows.find((row) => String(row.type ?? row.event_type) === 'admin.disabled');
        expect(JSON.stringify(audit)).to.contain('support:jane');
        expect(mailsTo(handle.dataDir, user.email).map((mail) => mail.event)).to.deep.equal([
          'enabled',
          'admin.disabled',
        ]);
        const login = expectStatus(await user.browser.login(user.email, user.password), 200, 'login');
        expect(login.body.status).to.equal('authenticated');
      });

      it('answers exit code 4 and changes nothing when 2FA is not on', async () => {
        const user = await registerUser(handle.url, 'cli-off');
        const result = await runAdminCli(target(), ['2fa:disable', user.email]);
        expect(result.code).to.equal(4);
        expect(result.stdout).to.contain('not enabled');
        expect(mailsTo(handle.dataDir, user.email)).to.deep.equal([]);
      });
    });

    describe('when support unlocks a customer locked out by wrong codes', () => {
      it('S16: lifts the lock, so the correct code works again, and the customer is emailed', async () => {
        const user = await enableTwoFactorUser(handle.url, 'cli-unlock', handle.clock);
        for (let i = 0; i < 10; i++) {
          await waitOutBackoff(handle, handle.clock, user.email);
          const attacker = await passwordStep(handle.url, user);
          await attacker.challenge({ code: wrongCode(user.secret, handle.clock) });
        }
        expect((await credentialOf(handle, user.email))?.locked_at).to.not.equal(null);
        const status = await runAdminCli(target(), ['2fa:status', user.email]);
        expect(status.stdout).to.contain('LOCKED');

        const result = await runAdminCli(target(), ['2fa:unlock', user.email, '--actor', 'support:sam']);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.contain('unlocked');
        const credential = await credentialOf(handle, user.email);
        expect(credential?.locked_at).to.equal(null);
        expect(credential?.failure_count).to.equal(0);
        expect(await auditEventTypes(handle, user.email)).to.include('unlocked');
        expect(mailsTo(handle.dataDir, user.email).map((mail) => mail.event)).to.deep.equal([
          'enabled',
          'locked',
          'unlocked',
        ]);

        const browser = await passwordStep(handle.url, user);
        const signedIn = expectStatus(
          await browser.challenge({ code: codeForStep(user.secret, currentStep(handle.clock)) }),
          200,
          'challenge after unlock',
        );
        expect(signedIn.body.status).to.equal('authenticated');
      });
    });

    describe('when the command line is wrong', () => {
      it('answers exit code 2 with the usage for a bad command or email, and 3 for an unknown customer', async () => {
        for (const args of [
          [],
          ['2fa:enable', 'a@example.com'],
          ['2fa:disable'],
          ['2fa:disable', 'not-an-email'],
          ['2fa:status', 'a@example.com', 'extra'],
        ]) {
          const result = await runAdminCli(target(), args);
          expect(result.code, args.join(' ')).to.equal(2);
          expect(result.stderr, args.join(' ')).to.contain('Usage: npm run admin');
        }
        const unknown = await runAdminCli(target(), ['2fa:status', 'nobody-here@example.com']);
        expect(unknown.code).to.equal(3);
        expect(unknown.stdout).to.contain('No account');
      });
    });

    describe('when run from the repository root through npm, as the docs show', () => {
      it('npm run admin -w examples/billing-site (or express-site) -- 2fa:status <email> works', async () => {
        const user = await registerUser(handle.url, 'cli-npm');
        for (const site of ['koa', 'express'] as const) {
          const result = await runAdminCli(target(), ['2fa:status', user.email], { viaNpm: true, site });
          expect(result.code, `${site}: ${result.stderr}`).to.equal(0);
          expect(result.stdout, site).to.contain(user.email).and.contain('Two-factor authentication: off');
        }
      });
    });

    describe('when the 2FA policy requires owners (TWO_FACTOR_REQUIRED=owners)', () => {
      it('S36: 2fa:report --json lists each owner in grace with the deadline, 2FA users as enabled, and mails "you have until"', async () => {
        const owner = await registerUser(handle.url, 'cli-report');
        const enabled = await enableTwoFactorUser(handle.url, 'cli-report-on', handle.clock);
        const env = { TWO_FACTOR_REQUIRED: 'owners', TWO_FACTOR_GRACE_DAYS: '14' };
        const result = await runAdminCli(target(), ['2fa:report', '--json'], { env });
        expect(result.code, result.stderr).to.equal(0);
        const report = JSON.parse(result.stdout);
        expect(report).to.include({ policy: 'owners', graceDays: 14 });
        expect(report.enabled).to.be.at.least(1);
        const entry = report.inGrace.find((o: { email: string }) => o.email === owner.email);
        expect(entry, result.stdout).to.include({ userId: await userIdByEmail(handle, owner.email) });
        const days = (Date.parse(entry.requiredBy) - Date.now()) / 86_400_000;
        expect(days).to.be.within(13.9, 14.1);
        expect(report.inGrace.map((o: { email: string }) => o.email)).to.not.include(enabled.email);
        const text = await runAdminCli(target(), ['2fa:report'], { env });
        expect(text.stdout)
          .to.contain('Two-factor policy: required for owners, 14 days of grace')
          .and.contain(owner.email);
        expect(mailsTo(storage.dataDir, owner.email).map((mail) => mail.event)).to.include('enrollment.required');
      });

      it('S36: 2fa:remind mails an owner whose deadline is 3 days away or less, once however often cron runs it', async () => {
        const owner = await registerUser(handle.url, 'cli-remind');
        const env = { TWO_FACTOR_REQUIRED: 'owners', TWO_FACTOR_GRACE_DAYS: '2' };
        const first = await runAdminCli(target(), ['2fa:remind', '--json'], { env });
        expect(first.code, first.stderr).to.equal(0);
        expect(JSON.parse(first.stdout).reminded.map((o: { email: string }) => o.email)).to.include(owner.email);
        const second = await runAdminCli(target(), ['2fa:remind', '--json'], { env });
        expect(second.code, second.stderr).to.equal(0);
        expect(JSON.parse(second.stdout).reminded.map((o: { email: string }) => o.email)).to.not.include(owner.email);
        const reminders = mailsTo(storage.dataDir, owner.email).filter((mail) => mail.event === 'enrollment.reminder');
        expect(reminders).to.have.length(1);
      });
    });
  });
}
