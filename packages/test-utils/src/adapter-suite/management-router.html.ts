/** The enrollment flow of the help article, as a browser walks it, and the other management pages. */
import * as chai from 'chai';
import { BROWSER_ACCEPT, Client, MANAGEMENT } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { capture, formWithButton, liveErrors } from './html';
import { ADA } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function managementHtmlTests(createHost: CreateHost): void {
  describe('management router (HTML)', () => {
    let host: Host;
    let ada: Client;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      await ada.logInFully(ADA);
    });

    describe('when a user enables 2FA step by step, as billing hosts describe it', () => {
      it('leads from "Click here to enable" through "Get Started", the barcode and "Confirm" to the Backup Code', async () => {
        const section = await ada.getHtml(MANAGEMENT);
        expect(section.status).to.equal(200);
        expect(section.type).to.equal('text/html');
        expect(section.text)
          .to.contain('<h1 id="sf-section-title">Two-Factor Authentication</h1>')
          .and.to.contain('Two-factor authentication is not enabled.');
        const enable = formWithButton(section.text, 'Click here to enable');
        expect(enable).to.deep.include({ method: 'get', action: MANAGEMENT, fields: { step: 'intro' } });

        const intro = await ada.getHtml(`${enable.action}?step=${enable.fields.step}`);
        expect(intro.status).to.equal(200);
        expect(intro.text).to.contain(
          'every time you log in you will be required to enter your password and then a six-digit code',
        );
        const getStarted = formWithButton(intro.text, 'Get Started');
        expect(getStarted.method).to.equal('post');
        expect(getStarted.action).to.equal(`${MANAGEMENT}/enroll`);
        expect(getStarted.fields._csrf).to.be.a('string').and.not.be.empty;

        const setup = await ada.agent
          .post(getStarted.action)
          .set('Accept', BROWSER_ACCEPT)
          .type('form')
          .send(getStarted.fields);
        expect(setup.status).to.equal(200);
        expect(setup.headers['cache-control']).to.equal('no-store');
        const secretForDisplay = capture(setup.text, /<code class="sf-secret">([^<]+)<\/code>/);
        expect(secretForDisplay).to.match(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
        expect(setup.text).to.match(
          /<div role="img" aria-label="Barcode for your authenticator app\. Secret key: ([A-Z2-7 ]+)"><svg/,
        );
        expect(
          capture(setup.text, /aria-label="Barcode for your authenticator app\. Secret key: ([A-Z2-7 ]+)"/),
        ).to.equal(secretForDisplay);
        expect(setup.text).to.not.match(/<img[^>]+src="https?:/);
        const confirm = formWithButton(setup.text, 'Confirm');
        expect(confirm).to.deep.include({ method: 'get', action: MANAGEMENT, fields: { step: 'verify' } });

        const verify = await ada.getHtml(`${confirm.action}?step=${confirm.fields.step}`);
        expect(verify.status).to.equal(200);
        expect(verify.text).to.contain('<h1 id="sf-verify-title">Verification Step</h1>');
        const codeForm = formWithButton(verify.text, 'Confirm');
        expect(codeForm.method).to.equal('post');
        expect(codeForm.action).to.equal(`${MANAGEMENT}/confirm`);

        const code = host.world.codeFor(ADA.id, secretForDisplay.replace(/ /g, ''));
        const done = await ada.agent
          .post(codeForm.action)
          .set('Accept', BROWSER_ACCEPT)
          .type('form')
          .send({ ...codeForm.fields, code });
        expect(done.status).to.equal(200);
        expect(done.headers['cache-control']).to.equal('no-store');
        expect(done.text).to.contain('Two-factor authentication has been set up successfully');
        expect(done.text).to.contain('<h2>Backup Code</h2>');
        expect(done.text).to.contain('Write it down and keep it somewhere safe');
        expect(capture(done.text, /<li><code>([^<]+)<\/code><\/li>/)).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
        expect((await ada.getJson(MANAGEMENT)).body.enabled).to.equal(true);
      });

      it('keeps the user on the Verification Step, with the error announced, after a wrong code', async () => {
        const setup = await ada.postForm(`${MANAGEMENT}/enroll`);
        host.world.secrets.set(
          ADA.id,
          capture(setup.text, /<code class="sf-secret">([^<]+)<\/code>/).replace(/ /g, ''),
        );
        const res = await ada.postForm(`${MANAGEMENT}/confirm`, { code: host.world.wrongCodeFor(ADA.id) });
        expect(res.status).to.equal(401);
        expect(res.text).to.contain('Verification Step');
        expect(liveErrors(res.text)).to.equal('The code is not valid. Try again.');
        expect(res.text).to.match(/<input id="sf-verify-code"[^>]*aria-invalid="true"/);
        expect(res.text, 'the secret is not shown again').to.not.contain('sf-secret');
      });

      it('shows the pending setup on the section with a way to the Verification Step', async () => {
        await ada.postForm(`${MANAGEMENT}/enroll`);
        const section = await ada.getHtml(MANAGEMENT);
        expect(section.text).to.contain('You started setting up two-factor authentication');
        expect(formWithButton(section.text, 'Enter the verification code').fields).to.deep.equal({ step: 'verify' });
      });

      it('sends the Verification Step back to the section when nothing is pending', async () => {
        const res = await ada.getHtml(`${MANAGEMENT}?step=verify`);
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal(MANAGEMENT);
      });
    });

    describe('when 2FA is on', () => {
      beforeEach(async () => {
        await host.world.enroll(ADA.id);
      });

      it('shows the status, the remaining backup codes and the password forms, and no enable button', async () => {
        const res = await ada.getHtml(MANAGEMENT);
        expect(res.text)
          .to.contain('Two-factor authentication is enabled.')
          .and.to.contain('Backup codes remaining: 1');
        expect(res.text).to.not.contain('Click here to enable');
        for (const [button, action] of [
          ['Disable', 'disable'],
          ['Generate a new backup code', 'backup-codes'],
        ]) {
          const form = formWithButton(res.text, button);
          expect(form.method).to.equal('post');
          expect(form.action).to.equal(`${MANAGEMENT}/${action}`);
          expect(form.fields).to.have.keys('_csrf', 'password');
        }
        expect(res.text).to.match(
          /<label for="sf-disable-password">Current password<\/label>\s*<input id="sf-disable-password" name="password" type="password"/,
        );
      });

      it('sends the intro back to the section', async () => {
        const res = await ada.getHtml(`${MANAGEMENT}?step=intro`);
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal(MANAGEMENT);
      });

      it('shows a new backup code once after "Generate a new backup code"', async () => {
        const res = await ada.postForm(`${MANAGEMENT}/backup-codes`, { password: ADA.password });
        expect(res.status).to.equal(200);
        expect(res.headers['cache-control']).to.equal('no-store');
        expect(res.text).to.contain('Your new backup code').and.to.contain('<h2>Backup Code</h2>');
        expect(capture(res.text, /<li><code>([^<]+)<\/code><\/li>/)).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
      });

      it('disables with the password, then redirects to the section, which confirms it', async () => {
        const res = await ada.postForm(`${MANAGEMENT}/disable`, { password: ADA.password });
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal(`${MANAGEMENT}?notice=disabled`);
        const section = await ada.getHtml(res.headers.location);
        expect(section.text)
          .to.contain('Two-factor authentication has been disabled.')
          .and.to.contain('Click here to enable');
      });

      it('shows a wrong password on the section, in the live region, with status 401', async () => {
        const res = await ada.postForm(`${MANAGEMENT}/disable`, { password: 'not-my-password' });
        expect(res.status).to.equal(401);
        expect(liveErrors(res.text)).to.equal('The password is not correct.');
        expect(res.text).to.contain('Two-factor authentication is enabled.');
      });
    });
  });
}
