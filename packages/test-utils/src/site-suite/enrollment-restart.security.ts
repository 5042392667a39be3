/**
 * A setup that survives Back, a reload and a second tab over HTTP (S39): while it is pending, every
 * restart shows the same secret; only "Start over with a new key" replaces it; an expired setup
 * says so on the Verification Step with one way to start again; Back after enabling is a neutral notice.
 */
import * as chai from 'chai';
import { codeForStep, currentStep, enableTwoFactorUser, expectStatus, registerUser } from './flows';
import { pageTitle, secretShown, sectionOf } from './page-html';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

const ENROLL = '/account/security/two-factor/enroll';
const CONFIRM = '/account/security/two-factor/confirm';

/** Registers the S39 tests against a started site. */
export function enrollmentRestartTests(site: SiteUnderTest): void {
  describe('restarting an unfinished enrollment over HTTP', () => {
    describe('when the setup page is posted again while pending (Back, reload, a second tab)', () => {
      it('S39: shows the same secret each time, and the code from the app that scanned the first page confirms', async () => {
        const user = await registerUser(site.url, 'restart-same');
        const first = expectStatus(await user.browser.post(ENROLL, { form: {}, accept: 'text/html' }), 200, 'enroll');
        const firstSecret = secretShown(first.text);
        expect(firstSecret).to.match(/^[A-Z2-7]{32}$/);
        const reload = expectStatus(await user.browser.post(ENROLL, { form: {}, accept: 'text/html' }), 200, 'again');
        expect(secretShown(reload.text)).to.equal(firstSecret);
        expect(reload.text).to.contain('This is the same secret key as before.');
        const secondTab = user.browser.clone();
        const json = expectStatus(await secondTab.enroll(), 200, 'second tab');
        expect(json.body).to.include({ secret: firstSecret, resumed: true });
        const confirmed = await user.browser.confirm(codeForStep(firstSecret, currentStep(site.clock)));
        expect(confirmed.status, confirmed.text).to.equal(200);
      });
    });

    describe('when enable is clicked twice at once (a double click, two tabs)', () => {
      it('S39: both answers show the one secret that was stored, and it confirms', async () => {
        const user = await registerUser(site.url, 'restart-double');
        const secondTab = user.browser.clone();
        // One page sent both clicks: the same session and the same CSRF token.
        const headers = { 'x-csrf-token': await user.browser.csrfToken() };
        const [a, b] = await Promise.all([user.browser.enroll({ headers }), secondTab.enroll({ headers })]);
        expectStatus(a, 200, 'first click');
        expectStatus(b, 200, 'second click');
        expect(a.body.secret).to.match(/^[A-Z2-7]{32}$/);
        expect(b.body.secret).to.equal(a.body.secret);
        const confirmed = await user.browser.confirm(codeForStep(a.body.secret as string, currentStep(site.clock)));
        expect(confirmed.status, confirmed.text).to.equal(200);
      });
    });

    describe('when the user asks to start over with a new key', () => {
      it('S39: a new secret replaces the pending one, and only the new one confirms', async () => {
        const user = await registerUser(site.url, 'restart-over');
        const first = expectStatus(await user.browser.enroll(), 200, 'enroll').body.secret as string;
        const page = expectStatus(
          await user.browser.post(ENROLL, { form: { startOver: '1' }, accept: 'text/html' }),
          200,
          'start over',
        );
        const second = secretShown(page.text);
        expect(second).to.not.equal(first);
        expect(page.text).to.not.contain('This is the same secret key as before.');
        const step = currentStep(site.clock);
        if (codeForStep(first, step) !== codeForStep(second, step)) {
          const old = await user.browser.confirm(codeForStep(first, step));
          expect(old.status, 'the old key is dead').to.equal(401);
        }
        const ok = await user.browser.confirm(codeForStep(second, step));
        expect(ok.status, ok.text).to.equal(200);
      });
    });

    describe('when the Verification Step is reopened after the setup expired', () => {
      it('S39: says that it expired, with "Start again" as the one way on, and a late code says the same', async () => {
        const user = await registerUser(site.url, 'restart-expired');
        const start = expectStatus(await user.browser.enroll(), 200, 'enroll').body.secret as string;
        site.clock.advance({ minutes: 10, seconds: 1 });
        const reopened = expectStatus(
          await user.browser.get('/account/security/two-factor?step=verify', { accept: 'text/html' }),
          200,
          'verify',
        );
        const main = sectionOf(reopened.text, 'sf-verify');
        expect(main).to.contain('This setup expired before it was confirmed');
        expect(main).to.not.contain('name="code"');
        expect(main.match(/<button[^>]*>/g), 'one button').to.have.length(1);
        expect(main).to.match(/name="startOver" value="1"[^]*<button type="submit">Start again<\/button>/);
        const late = await user.browser.post(CONFIRM, {
          form: { code: codeForStep(start, currentStep(site.clock)) },
          accept: 'text/html',
        });
        expect(late.status).to.equal(409);
        expect(pageTitle(late.text)).to.match(/^Error: Verification Step/);
        expect(sectionOf(late.text, 'sf-verify')).to.contain('This setup expired before it was confirmed');
        const section = await user.browser.get('/account/security', { accept: 'text/html' });
        expect(section.text).to.contain('Your earlier setup expired before it was confirmed.');
      });
    });

    describe('when the setup form is sent again after 2FA was enabled (Back after enabling)', () => {
      it('S39: answers a neutral notice leading to Security Settings, not an error, and shows no secret', async () => {
        const user = await enableTwoFactorUser(site.url, 'restart-enabled', site.clock);
        const again = await user.browser.post(ENROLL, { form: {}, accept: 'text/html' });
        expect(again.status, again.text).to.equal(200);
        expect(pageTitle(again.text)).to.not.match(/^Error/);
        const section = sectionOf(again.text, 'sf-section');
        expect(section).to.contain('Two-factor authentication is already enabled for your account.');
        expect(section).to.match(/<div class="sf-error"[^>]*><\/div>/);
        expect(again.text).to.not.contain(user.secret);
        const json = await user.browser.enroll();
        expect(json.status, 'JSON callers still get the conflict').to.equal(409);
      });
    });
  });
}
