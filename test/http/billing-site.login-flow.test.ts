/**
 * The example site's whole 2FA flow over its JSON contract (DESIGN.md §7, §8), against the started
 * process, on SQLite and (with MYSQL_URL) on MariaDB.
 */
import * as chai from 'chai';
import { backupCodeRows, credentialOf } from '../support/site-back-door';
import { SiteClient } from '../support/site-client';
import { BACKENDS, useSite } from '../support/site-fixture';
import {
  awayFromStepBoundary,
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  sleep,
  STEP_MS,
  uniqueEmail,
} from '../support/two-factor-flows';

const { expect } = chai;

/** Waits until the clock is past `step`, so a new code is not a replay of a consumed one (S12). */
async function waitForStepAfter(step: number): Promise<number> {
  while (currentStep() <= step) await sleep(STEP_MS - (Date.now() % STEP_MS) + 200);
  await awayFromStepBoundary(3000);
  return currentStep();
}

for (const backend of BACKENDS) {
  describe(`Billing site login flow (${backend})`, function () {
    this.timeout(120_000);
    const handle = useSite(backend, 'flow');

    describe('when a new customer registers, turns 2FA on and logs in again', () => {
      it('walks register, session, enroll, confirm, logout, password step, code, and ends signed in', async () => {
        const browser = new SiteClient(handle.url);
        const email = uniqueEmail('flow');
        const password = 'a long enough password';

        const registered = expectStatus(
          await browser.register({ name: 'Flo Walker', email, password }),
          201,
          'register',
        );
        expect(registered.body.status).to.equal('authenticated');
        const session = await browser.session();
        expect(session).to.include({ authenticated: true, twoFactorPending: false });
        expect(session.user).to.include({ email, name: 'Flo Walker', isSubAccount: false });
        expect(session.csrfToken).to.be.a('string').and.not.equal('');

        const enrolled = expectStatus(await browser.enroll(), 200, 'enroll');
        expect(enrolled.headers.get('cache-control')).to.contain('no-store');
        expect(enrolled.body.secret).to.match(/^[A-Z2-7]{32}$/);
        expect(enrolled.body.otpauthUrl).to.match(/^otpauth:\/\/totp\//);
        expect(enrolled.body.qrSvg).to.match(/^\s*(<\?xml[^>]*>\s*)?<svg/);
        expect((await credentialOf(handle, email))?.state).to.equal('pending');

        await awayFromStepBoundary(3000);
        const confirmStep = currentStep();
        const confirmed = expectStatus(
          await browser.confirm(codeForStep(enrolled.body.secret, confirmStep)),
          200,
          'confirm',
        );
        expect(confirmed.body.enabled).to.equal(true);
        expect(confirmed.body.backupCodes).to.have.length(1);
        expect((await browser.twoFactorStatus()).body).to.include({
          enabled: true,
          eligible: true,
          backupCodesRemaining: 1,
        });

        expectStatus(await browser.logout(), 200, 'logout');
        expect((await browser.session()).authenticated).to.equal(false);

        const login = expectStatus(await browser.login(email, password), 200, 'login');
        expect(login.body).to.deep.equal({ status: 'two-factor-required' });
        expect(await browser.session()).to.include({ authenticated: false, twoFactorPending: true, user: null });
        expect((await browser.get('/clientarea')).status).to.equal(401);

        const loginStep = await waitForStepAfter(confirmStep);
        const challenged = expectStatus(
          await browser.challenge({ code: codeForStep(enrolled.body.secret, loginStep) }),
          200,
          'challenge',
        );
        expect(challenged.body.status).to.equal('authenticated');
        expect(challenged.body.backupCodes).to.equal(undefined);
        expect(await browser.session()).to.include({ authenticated: true, twoFactorPending: false });
        const clientArea = expectStatus(await browser.get('/clientarea'), 200, 'client area');
        expect(clientArea.body.user.email).to.equal(email);
      });
    });

    describe('when the customer has lost the device and uses the backup code', () => {
      it('S19: signs in, returns one new backup code, kills the old one, and keeps 2FA on', async () => {
        const user = await enableTwoFactorUser(handle.url, 'backup');
        const [oldCode] = user.backupCodes;
        const browser = await passwordStep(handle.url, user);
        const res = expectStatus(
          await browser.challenge({ backupCode: oldCode.toLowerCase().replace(/-/g, ' ') }),
          200,
          'backup code login',
        );
        expect(res.headers.get('cache-control')).to.contain('no-store');
        expect(res.body.status).to.equal('authenticated');
        expect(res.body.backupCodes).to.have.length(1);
        const [newCode] = res.body.backupCodes as string[];
        expect(newCode)
          .to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/)
          .and.not.equal(oldCode);
        expect((await browser.twoFactorStatus()).body).to.include({ enabled: true, backupCodesRemaining: 1 });
        expect((await backupCodeRows(handle, user.email)).filter((row) => row.used_at === null)).to.have.length(1);

        const again = await passwordStep(handle.url, user);
        const reused = await again.challenge({ backupCode: oldCode });
        expect(reused.status).to.equal(401);
        expect(reused.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        const fresh = expectStatus(await again.challenge({ backupCode: newCode }), 200, 'new backup code');
        expect(fresh.body.backupCodes).to.have.length(1);
      });
    });

    describe('when a browser form logs in a customer with 2FA on', () => {
      it('S20: redirects to the code page, and the client area sends it back there until the code is in', async () => {
        const user = await enableTwoFactorUser(handle.url, 'form');
        const browser = new SiteClient(handle.url);
        const token = await browser.csrfToken();
        const res = await browser.post('/login', {
          form: { email: user.email, password: user.password, _csrf: token },
          accept: 'text/html',
          csrf: false,
        });
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.equal('/login/two-factor');
        const page = await browser.get('/clientarea', { accept: 'text/html' });
        expect(page.status).to.equal(302);
        expect(page.headers.get('location')).to.equal('/login/two-factor');
        const challenge = await browser.get('/login/two-factor', { accept: 'text/html' });
        expect(challenge.status).to.equal(200);
        expect(challenge.text).to.contain('name="code"').and.contain('name="backupCode"');
      });
    });

    describe('when a signed-in customer logs in as a 2FA user in the same browser', () => {
      it('S24: the earlier sign-in is dropped until the second step succeeds', async () => {
        const user = await enableTwoFactorUser(handle.url, 'switch');
        const browser = new SiteClient(handle.url);
        expectStatus(
          await browser.register({ name: 'Other Person', email: uniqueEmail('other'), password: 'another password' }),
          201,
          'register',
        );
        expect((await browser.session()).authenticated).to.equal(true);
        const login = expectStatus(await browser.login(user.email, user.password), 200, 'login');
        expect(login.body.status).to.equal('two-factor-required');
        expect(await browser.session()).to.include({ authenticated: false, twoFactorPending: true });
        expect((await browser.get('/clientarea')).status).to.equal(401);
      });
    });
  });
}
