/**
 * What the pages say and where focus goes, without scripts: a refused form puts "Error: " in the
 * title and `autofocus` on the field to fix, the backup-code error sits beside its field, and
 * Continue and Cancel lead back to Security Settings.
 */
import * as chai from 'chai';
import { codeForStep, currentStep, enableTwoFactorUser, expectStatus, passwordStep, registerUser } from './flows';
import { pageTitle, sectionOf, tagOf } from './page-html';
import type { SiteUnderTest } from './site-under-test';
import { createSubAccount } from './sub-accounts';

const { expect } = chai;

const MANAGEMENT = '/account/security/two-factor';
const HTML = { accept: 'text/html' } as const;

/** Text inside an element with this id (tags stripped). */
function textOf(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const close = html.indexOf('</div>', start);
  return html
    .slice(html.indexOf('>', start) + 1, close)
    .replace(/<[^>]+>/g, '')
    .trim();
}

/** Registers the page announcement tests against a started site. */
export function pageAnnouncementTests(site: SiteUnderTest): void {
  describe('pages that announce errors and lead on', () => {
    describe('when the Verification Step refuses a code', () => {
      it('puts "Error: " in the title and autofocus on the invalid code field', async () => {
        const user = await registerUser(site.url, 'announce-verify');
        expectStatus(await user.browser.enroll(), 200, 'enroll');
        const res = await user.browser.post(`${MANAGEMENT}/confirm`, { form: { code: '000000' }, ...HTML });
        expect(res.status).to.be.within(400, 499);
        expect(pageTitle(res.text)).to.match(/^Error: Verification Step/);
        const field = tagOf(res.text, 'sf-verify-code');
        expect(field).to.contain('autofocus');
        expect(field).to.contain('aria-invalid="true"');
        expect(textOf(res.text, 'sf-verify-error')).to.equal('The code is not valid. Try again.');
        const fresh = await user.browser.get(`${MANAGEMENT}?step=verify`, HTML);
        expect(pageTitle(fresh.text)).to.not.match(/^Error/);
        expect(tagOf(fresh.text, 'sf-verify-code')).to.not.contain('autofocus');
      });
    });

    describe('when the challenge refuses a backup code', () => {
      it('shows the error beside the backup-code field, which takes the focus; a wrong code focuses the code field', async () => {
        const user = await enableTwoFactorUser(site.url, 'announce-backup', site.clock);
        const browser = await passwordStep(site.url, user);
        const backup = await browser.post('/login/two-factor', {
          form: { backupCode: 'AAAA-BBBB-CCCC-DDDD' },
          ...HTML,
        });
        expect(backup.status).to.equal(401);
        expect(pageTitle(backup.text)).to.match(/^Error: /);
        expect(textOf(backup.text, 'sf-challenge-error'), 'nothing at the top').to.equal('');
        expect(textOf(backup.text, 'sf-challenge-backup-error')).to.equal('The code is not valid. Try again.');
        const details = backup.text.slice(backup.text.indexOf('<details'), backup.text.indexOf('</details>'));
        expect(details).to.contain('id="sf-challenge-backup-error"');
        expect(tagOf(backup.text, 'sf-challenge-backup-code')).to.contain('autofocus');
        expect(tagOf(backup.text, 'sf-challenge-code')).to.not.contain('autofocus');
        const code = await browser.post('/login/two-factor', { form: { code: '000000' }, ...HTML });
        expect(textOf(code.text, 'sf-challenge-error')).to.equal('The code is not valid. Try again.');
        expect(tagOf(code.text, 'sf-challenge-code')).to.contain('autofocus');
        expect(tagOf(code.text, 'sf-challenge-backup-code')).to.not.contain('autofocus');
      });
    });

    describe('when a password is refused in Security Settings', () => {
      it('focuses the password field of the form that was sent, and the title starts with "Error: "', async () => {
        const user = await enableTwoFactorUser(site.url, 'announce-password', site.clock);
        const res = await user.browser.post(`${MANAGEMENT}/disable`, { form: { password: 'wrong password' }, ...HTML });
        expect(res.status).to.equal(401);
        expect(pageTitle(res.text)).to.match(/^Error: /);
        expect(tagOf(res.text, 'sf-disable-password')).to.contain('autofocus');
        expect(tagOf(res.text, 'sf-regenerate-password')).to.not.contain('autofocus');
      });
    });

    describe('when a setup is finished or dropped', () => {
      it('Continue and Cancel lead to Security Settings, where the section is embedded', async () => {
        const user = await registerUser(site.url, 'announce-links');
        const intro = await user.browser.get(`${MANAGEMENT}?step=intro`, HTML);
        expect(sectionOf(intro.text, 'sf-intro')).to.contain('<a href="/account/security">Cancel</a>');
        const { secret } = expectStatus(await user.browser.enroll(), 200, 'enroll').body;
        const done = await user.browser.post(`${MANAGEMENT}/confirm`, {
          form: { code: codeForStep(secret, currentStep(site.clock)) },
          ...HTML,
        });
        expect(done.status, done.text).to.equal(200);
        expect(sectionOf(done.text, 'sf-complete')).to.contain('<a href="/account/security">Continue</a>');
      });
    });

    describe('when a sub-account posts the enrollment form', () => {
      it('says "not available" once', async () => {
        const owner = await registerUser(site.url, 'announce-sub-owner');
        const sub = await createSubAccount(owner, site.url);
        const res = await sub.browser.post(`${MANAGEMENT}/enroll`, { form: {}, ...HTML });
        expect(res.status).to.equal(403);
        const section = sectionOf(res.text, 'sf-section');
        expect(section.split('not available for sub-accounts').length - 1).to.equal(1);
      });
    });
  });
}
