/**
 * Requiring 2FA (S36) over HTTP, on a site started with `TWO_FACTOR_REQUIRED=owners` and
 * `TWO_FACTOR_GRACE_DAYS=14`: the grace period with its banner and mail, the refusals after the
 * deadline (JSON 403 and browser redirects), the routes that stay open, enrollment that lets the
 * user through at once, disable refused, admin disable without new grace, and the admin report
 * and reminder commands.
 */
import * as chai from 'chai';
import {
  beginEnrollment,
  codeForStep,
  currentStep,
  awayFromStepBoundary,
  expectStatus,
  registerUser,
  type RegisteredUser,
} from './flows';
import { mailsTo } from './outbox';
import { createSubAccount } from './sub-accounts';
import { useSite, type Backend, type SiteTarget, type SiteUnderTest } from './site-under-test';

const { expect } = chai;

const DAY_MS = 86_400_000;
const GRACE_DAYS = 14;
const ENROLLMENT_START = '/account/security/two-factor';

/** Registers an owner and makes the site compute (and store) the grace deadline; returns it. */
async function requiredOwner(site: SiteUnderTest, label: string): Promise<RegisteredUser & { requiredBy: Date }> {
  const owner = await registerUser(site.url, label);
  const probe = expectStatus(await owner.browser.get('/session'), 200, 'session probe');
  return { ...owner, requiredBy: new Date(probe.body.twoFactorRequiredBy) };
}

/** Moves the clock past the owner's deadline and signs the owner in again (the session idled out). */
async function pastDeadline(site: SiteUnderTest, owner: RegisteredUser & { requiredBy: Date }): Promise<void> {
  site.clock.set(Math.max(site.clock.nowMs(), owner.requiredBy.getTime() + 60_000));
  const login = expectStatus(await owner.browser.login(owner.email, owner.password), 200, 'login');
  expect(login.body.status).to.equal('authenticated');
}

/** Turns 2FA on in the owner's signed-in browser. */
async function enroll(site: SiteUnderTest, owner: RegisteredUser): Promise<void> {
  const { secret } = await beginEnrollment(owner.browser);
  await awayFromStepBoundary(site.clock, 3000);
  expectStatus(await owner.browser.confirm(codeForStep(secret, currentStep(site.clock))), 200, 'confirm');
}

/** Registers the S36 tests on a site of their own, which requires 2FA of owners. */
export function enrollmentPolicyTests(target: SiteTarget, backend: Backend): void {
  describe('requiring 2FA of owners (TWO_FACTOR_REQUIRED=owners)', () => {
    const site = useSite(target, backend, 'policy', {
      TWO_FACTOR_REQUIRED: 'owners',
      TWO_FACTOR_GRACE_DAYS: String(GRACE_DAYS),
    });

    describe('during the grace period', () => {
      it('S36: /session reports the deadline, pages answer, the client area shows the banner with a link, and the owner was mailed', async () => {
        const before = site.clock.nowMs();
        const owner = await requiredOwner(site, 'policy-grace');
        expect(owner.requiredBy.getTime()).to.be.within(
          before + GRACE_DAYS * DAY_MS,
          site.clock.nowMs() + GRACE_DAYS * DAY_MS,
        );
        const probe = (await owner.browser.get('/session')).body;
        expect(probe).to.include({ authenticated: true, twoFactorEnrollmentRequired: false });
        expectStatus(await owner.browser.get('/clientarea'), 200, 'client area');
        expectStatus(await owner.browser.get('/account/users'), 200, 'users');
        const page = await owner.browser.get('/clientarea', { accept: 'text/html' });
        expect(page.status).to.equal(200);
        expect(page.text)
          .to.contain('Your account requires two-factor authentication. Please turn it on by')
          .and.contain(`href="${ENROLLMENT_START}?step=intro"`);
        const status = expectStatus(await owner.browser.get(ENROLLMENT_START), 200, 'status').body;
        expect(status).to.include({ required: true, enabled: false, requiredBy: owner.requiredBy.toISOString() });
        const mails = mailsTo(site.dataDir, owner.email).filter((mail) => mail.event === 'enrollment.required');
        expect(mails, 'one "you have until" mail').to.have.length(1);
        expect(mails[0].subject).to.contain('Please turn on two-factor authentication');
      });
    });

    describe('after the deadline, without 2FA', () => {
      it('S36: JSON clients get 403 TWO_FACTOR_ENROLLMENT_REQUIRED on every other guarded route', async () => {
        const owner = await requiredOwner(site, 'policy-json');
        await pastDeadline(site, owner);
        for (const res of [
          await owner.browser.get('/clientarea'),
          await owner.browser.get('/account/users'),
          await owner.browser.get('/account/sessions'),
          await owner.browser.post('/account/users', {
            json: { name: 'Nope', email: 'nope@example.com', password: 'long enough password' },
          }),
        ]) {
          expect(res.status, res.text).to.equal(403);
          expect(res.body.error.code).to.equal('TWO_FACTOR_ENROLLMENT_REQUIRED');
        }
      });

      it('S36: browsers are redirected to the enrollment start, which explains why in plain words', async () => {
        const owner = await requiredOwner(site, 'policy-browser');
        await pastDeadline(site, owner);
        for (const path of ['/clientarea', '/account/users']) {
          const res = await owner.browser.get(path, { accept: 'text/html' });
          expect(res.status, path).to.equal(302);
          expect(res.headers.get('location'), path).to.equal(ENROLLMENT_START);
        }
        const start = await owner.browser.get(ENROLLMENT_START, { accept: 'text/html' });
        expect(start.status).to.equal(200);
        expect(start.text).to.contain(
          'Your account requires two-factor authentication, and the time to set it up has run out.',
        );
      });

      it('S36: the enrollment routes, Security Settings, the session probe and logout stay reachable; enabling lets the user through at once', async () => {
        const owner = await requiredOwner(site, 'policy-allowed');
        await pastDeadline(site, owner);
        expectStatus(await owner.browser.get('/account/security'), 200, 'Security Settings (JSON)');
        const settings = await owner.browser.get('/account/security', { accept: 'text/html' });
        expect(settings.status).to.equal(200);
        const probe = expectStatus(await owner.browser.get('/session'), 200, 'session probe').body;
        expect(probe).to.include({
          authenticated: true,
          twoFactorEnrollmentRequired: true,
          twoFactorRequiredBy: owner.requiredBy.toISOString(),
        });
        expectStatus(await owner.browser.get(ENROLLMENT_START), 200, 'management status');
        await enroll(site, owner);
        // No sign-out and no second login: the same session passes now.
        expectStatus(await owner.browser.get('/clientarea'), 200, 'client area after enabling');
        expect((await owner.browser.get('/session')).body).to.include({
          twoFactorEnrollmentRequired: false,
          twoFactorRequiredBy: null,
        });
        expectStatus(await owner.browser.logout(), 200, 'logout');
      });

      it('S36: logout works while enrollment is due', async () => {
        const owner = await requiredOwner(site, 'policy-logout');
        await pastDeadline(site, owner);
        expectStatus(await owner.browser.logout(), 200, 'logout');
        expect((await owner.browser.get('/session')).body).to.include({ authenticated: false });
      });
    });

    describe('when the user is a sub-account', () => {
      it('S36: is never required, even long after the owner’s deadline', async () => {
        const owner = await requiredOwner(site, 'policy-sub-owner');
        await enroll(site, owner);
        const sub = await createSubAccount(owner, site.url);
        site.clock.advance({ days: 60 });
        const login = expectStatus(await sub.browser.login(sub.email, sub.password), 200, 'sub login');
        expect(login.body.status).to.equal('authenticated');
        expect((await sub.browser.get('/session')).body).to.include({
          twoFactorEnrollmentRequired: false,
          twoFactorRequiredBy: null,
        });
        expectStatus(await sub.browser.get('/clientarea'), 200, 'sub client area');
      });
    });

    describe('when a required owner with 2FA tries to turn it off', () => {
      it('S36: disable answers 409 TWO_FACTOR_REQUIRED_BY_POLICY and 2FA stays on', async () => {
        const owner = await requiredOwner(site, 'policy-disable');
        await enroll(site, owner);
        const res = await owner.browser.disable(owner.password);
        expect(res.status, res.text).to.equal(409);
        expect(res.body.error.code).to.equal('TWO_FACTOR_REQUIRED_BY_POLICY');
        expect((await owner.browser.get(ENROLLMENT_START)).body).to.include({ enabled: true, required: true });
      });
    });

    describe('when support turns 2FA off for a required owner', () => {
      it('S36: the owner must enroll at the next sign-in, with no new grace', async () => {
        const owner = await requiredOwner(site, 'policy-admin');
        await enroll(site, owner);
        const disabled = await site.admin(['2fa:disable', owner.email, '--actor', 'support:policy-test']);
        expect(disabled.exitCode, disabled.message).to.equal(0);
        const login = expectStatus(await owner.browser.login(owner.email, owner.password), 200, 'login');
        expect(login.body.status).to.equal('authenticated');
        const area = await owner.browser.get('/clientarea');
        expect(area.status).to.equal(403);
        expect(area.body.error.code).to.equal('TWO_FACTOR_ENROLLMENT_REQUIRED');
        expect((await owner.browser.get('/session')).body).to.include({ twoFactorEnrollmentRequired: true });
        await enroll(site, owner);
        expectStatus(await owner.browser.get('/clientarea'), 200, 'client area after enrolling again');
      });
    });

    describe('when support runs the report and the reminders', () => {
      it('S36: 2fa:report lists owners required, enabled, in grace with deadlines, and overdue', async () => {
        const overdue = await requiredOwner(site, 'policy-report-overdue');
        site.clock.set(overdue.requiredBy.getTime() + 60_000);
        const inGrace = await requiredOwner(site, 'policy-report-grace');
        const enabled = await requiredOwner(site, 'policy-report-on');
        await enroll(site, enabled);
        const report = await site.admin(['2fa:report']);
        expect(report.exitCode, report.message).to.equal(0);
        expect(report.message).to.contain('Two-factor policy: required for owners, 14 days of grace');
        const section = (name: string) => report.message.split(`${name}:`)[1] ?? '';
        expect(section('In grace')).to.contain(`${inGrace.email}> (user`).and.contain(inGrace.requiredBy.toISOString());
        expect(section('Overdue')).to.contain(overdue.email);
        expect(section('Overdue')).to.not.contain(inGrace.email);
        expect(report.message).to.not.contain(`${enabled.email}>`);
        const status = await site.admin(['2fa:status', overdue.email]);
        expect(status.message).to.contain(
          `Required by policy: overdue since ${overdue.requiredBy.toISOString()} (only enrollment is reachable)`,
        );
        expect((await site.admin(['2fa:status', inGrace.email])).message).to.contain(
          `Required by policy: until ${inGrace.requiredBy.toISOString()}`,
        );
      });

      it('S36: 2fa:remind mails an owner three days before the deadline, once however often it runs', async () => {
        const owner = await requiredOwner(site, 'policy-remind');
        const reminders = () =>
          mailsTo(site.dataDir, owner.email).filter((mail) => mail.event === 'enrollment.reminder');
        const early = await site.admin(['2fa:remind']);
        expect(early.exitCode, early.message).to.equal(0);
        expect(reminders(), 'not yet: more than 3 days left').to.have.length(0);
        site.clock.set(owner.requiredBy.getTime() - 2 * DAY_MS);
        const first = await site.admin(['2fa:remind']);
        expect(first.exitCode, first.message).to.equal(0);
        expect(first.message).to.contain(owner.email);
        const second = await site.admin(['2fa:remind']);
        expect(second.message).to.not.contain(owner.email);
        expect(reminders()).to.have.length(1);
        expect(reminders()[0].subject).to.contain('Reminder: turn on two-factor authentication by');
      });
    });
  });
}
