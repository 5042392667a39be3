/**
 * The whole 2FA flow over the site's JSON contract and its browser forms:
 * enroll, confirm, log out, the password step, the code or the backup code, and the client area.
 * The site's clock is fake, so the next code window and a pending login's expiry are one tick away.
 */
import * as chai from 'chai';
import { backupCodeRows, credentialOf } from './back-door';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  STEP_MS,
  uniqueEmail,
} from './flows';
import { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Registers the login-flow tests against a started site. */
export function loginFlowTests(site: SiteUnderTest): void {
  describe('login flow', () => {
    describe('when a new customer registers, turns 2FA on and logs in again', () => {
      it('walks register, session, enroll, confirm, logout, password step, code, and ends signed in', async () => {
        const browser = new SiteClient(site.url);
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
        expect((await credentialOf(site, email))?.state).to.equal('pending');

        const confirmStep = currentStep(site.clock);
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
        expect(login.headers.get('cache-control')).to.contain('no-store');
        expect(await browser.session()).to.include({ authenticated: false, twoFactorPending: true, user: null });
        expect((await browser.get('/clientarea')).status).to.equal(401);

        const sameStep = await browser.challenge({ code: codeForStep(enrolled.body.secret, confirmStep) });
        expect(sameStep.status, 'the confirming step is used (S12)').to.equal(401);
        site.clock.advance(STEP_MS);
        const challenged = expectStatus(
          await browser.challenge({ code: codeForStep(enrolled.body.secret, currentStep(site.clock)) }),
          200,
          'challenge',
        );
        expect(challenged.body).to.deep.equal({ status: 'authenticated' });
        expect(challenged.headers.get('cache-control')).to.contain('no-store');
        expect(await browser.session()).to.include({ authenticated: true, twoFactorPending: false });
        const clientArea = expectStatus(await browser.get('/clientarea'), 200, 'client area');
        expect(clientArea.body.user.email).to.equal(email);
        expect(clientArea.body.twoFactor).to.deep.equal({ enabled: true, eligible: true });
      });
    });

    describe('when the password step was done more than 10 minutes ago on the site clock', () => {
      it('S20: the pending login has expired: the probe says so and a correct code answers TWO_FACTOR_NO_PENDING_LOGIN', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-expiry', site.clock);
        const browser = await passwordStep(site.url, user);
        expect((await browser.session()).twoFactorPending).to.equal(true);
        site.clock.advance({ minutes: 9, seconds: 59 });
        expect((await browser.session()).twoFactorPending, 'still pending just before').to.equal(true);
        site.clock.advance({ seconds: 2 });
        expect(await browser.session()).to.include({ authenticated: false, twoFactorPending: false });
        const expired = await browser.challenge({ code: codeForStep(user.secret, currentStep(site.clock)) });
        expect(expired.status).to.equal(401);
        expect(expired.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect((await browser.get('/clientarea')).status).to.equal(401);
      });
    });

    describe('when the customer has lost the device and uses the backup code', () => {
      it('S19: signs in, returns one new backup code, kills the old one, and keeps 2FA on', async () => {
        const user = await enableTwoFactorUser(site.url, 'backup', site.clock);
        const [oldCode] = user.backupCodes;
        const browser = await passwordStep(site.url, user);
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
        expect((await backupCodeRows(site, user.email)).filter((row) => row.used_at === null)).to.have.length(1);

        const again = await passwordStep(site.url, user);
        const reused = await again.challenge({ backupCode: oldCode });
        expect(reused.status).to.equal(401);
        expect(reused.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        const fresh = expectStatus(await again.challenge({ backupCode: newCode }), 200, 'new backup code');
        expect(fresh.body.backupCodes).to.have.length(1);
      });
    });

    describe('when a browser form logs in a customer with 2FA on', () => {
      it('S20: redirects to the code page, and the client area sends it back there until the code is in', async () => {
        const user = await enableTwoFactorUser(site.url, 'form', site.clock);
        const browser = new SiteClient(site.url);
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
        expect(challenge.text, 'in the site layout').to.contain('href="/assets/styles.css"');

        const formToken = await browser.csrfToken();
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const done = await browser.post('/login/two-factor', {
          form: { code, _csrf: formToken },
          accept: 'text/html',
          csrf: false,
        });
        expect(done.status).to.equal(303);
        expect(done.headers.get('location')).to.equal('/clientarea');
        const area = await browser.get('/clientarea', { accept: 'text/html' });
        expect(area.status).to.equal(200);
        expect(area.text).to.contain('Welcome back, Test');
      });
    });

    describe('when a signed-in customer logs in as a 2FA user in the same browser', () => {
      it('S24: the earlier sign-in is dropped until the second step succeeds', async () => {
        const user = await enableTwoFactorUser(site.url, 'switch', site.clock);
        const browser = new SiteClient(site.url);
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
