/**
 * Sub-accounts: the owner manages them at /account/users, and they may not use two-factor
 * authentication (S9), enforced on every state-changing route.
 */
import * as chai from 'chai';
import { credentialOf } from './back-door';
import { expectStatus, registerUser, uniqueEmail, type RegisteredUser } from './flows';
import { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/**
 * The owner creates a sub-account over JSON; returns a browser signed in as it.
 */
export async function createSubAccount(
  owner: RegisteredUser,
  baseUrl: string,
): Promise<{ email: string; password: string; browser: SiteClient }> {
  const sub = { name: 'Sam Sub', email: uniqueEmail('sub'), password: 'sub-account password' };
  const created = expectStatus(await owner.browser.post('/account/users', { json: sub }), 201, 'create sub-account');
  expect(created.body.user).to.include({ email: sub.email, isSubAccount: true });
  const browser = new SiteClient(baseUrl);
  const login = expectStatus(await browser.login(sub.email, sub.password), 200, 'sub-account login');
  expect(login.body.status).to.equal('authenticated');
  return { email: sub.email, password: sub.password, browser };
}

/** Registers the sub-account tests against a started site. */
export function subAccountTests(site: SiteUnderTest): void {
  describe('sub-accounts', () => {
    describe('when the owner manages users', () => {
      it("creates a sub-account and lists it; the sub-account sees the owner's client area", async () => {
        const owner = await registerUser(site.url, 'owner');
        const sub = await createSubAccount(owner, site.url);
        const list = expectStatus(await owner.browser.get('/account/users'), 200, 'list');
        expect(list.body.owner).to.include({ email: owner.email });
        expect(list.body.users.map((user: { email: string }) => user.email)).to.deep.equal([sub.email]);
        const session = await sub.browser.session();
        expect(session.user).to.include({ email: sub.email, isSubAccount: true });
        const area = expectStatus(await sub.browser.get('/clientarea'), 200, 'client area');
        expect(area.body.twoFactor).to.deep.equal({ enabled: false, eligible: false });
        const page = await sub.browser.get('/clientarea', { accept: 'text/html' });
        expect(page.text).to.contain(`Sub-account of ${owner.name}'s account`);
      });

      it('creates one from the browser form: back to the list with a message, then the new user is listed', async () => {
        const owner = await registerUser(site.url, 'owner-form');
        const email = uniqueEmail('sub-form');
        const token = await owner.browser.csrfToken();
        const res = await owner.browser.post('/account/users', {
          form: { name: 'Form Sub', email, password: 'sub-account password', _csrf: token },
          accept: 'text/html',
          csrf: false,
        });
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.equal('/account/users');
        const page = await owner.browser.get('/account/users', { accept: 'text/html' });
        expect(page.text).to.contain(`Form Sub can now sign in with ${email}.`);
        // The list lets a narrow screen wrap an address only before "@" and dots (<wbr>).
        expect(page.text.replace(/<wbr>/g, '')).to.match(
          new RegExp(`<td[^>]*><span class="email">${email.replace(/\./g, '\\.')}</span></td>`),
        );
        const again = await owner.browser.get('/account/users', { accept: 'text/html' });
        expect(again.text, 'the message shows once').not.to.contain('can now sign in with');
      });

      it('answers 403 FORBIDDEN when a sub-account opens or posts to /account/users', async () => {
        const owner = await registerUser(site.url, 'owner2');
        const sub = await createSubAccount(owner, site.url);
        const list = await sub.browser.get('/account/users');
        expect(list.status).to.equal(403);
        expect(list.body.error.code).to.equal('FORBIDDEN');
        const create = await sub.browser.post('/account/users', {
          json: { name: 'Nested', email: uniqueEmail('nested'), password: 'long enough password' },
        });
        expect(create.status).to.equal(403);
        expect((await owner.browser.get('/account/users')).body.users).to.have.length(1);
      });

      it('refuses a sub-account with bad fields (400) or a taken email (409)', async () => {
        const owner = await registerUser(site.url, 'owner3');
        const bad = await owner.browser.post('/account/users', {
          json: { name: 'X', email: 'nope', password: 'short' },
        });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.code).to.equal('INVALID_INPUT');
        const taken = await owner.browser.post('/account/users', {
          json: { name: 'X', email: owner.email, password: 'long enough password' },
        });
        expect(taken.status).to.equal(409);
        expect(taken.body.error.code).to.equal('EMAIL_TAKEN');
        expect((await owner.browser.get('/account/users')).body.users).to.deep.equal([]);
      });
    });

    describe('when a sub-account tries two-factor authentication', () => {
      it('S9: status says not eligible and every state-changing 2FA route answers 403 TWO_FACTOR_NOT_ELIGIBLE', async () => {
        const owner = await registerUser(site.url, 'owner4');
        const sub = await createSubAccount(owner, site.url);
        const status = expectStatus(await sub.browser.twoFactorStatus(), 200, 'status');
        expect(status.body).to.include({ enabled: false, eligible: false });
        const before = await site.dump(/sessions|audit/i);
        const attempts = {
          enroll: await sub.browser.enroll(),
          confirm: await sub.browser.confirm('123456'),
          disable: await sub.browser.disable(sub.password),
          'backup-codes': await sub.browser.regenerateBackupCodes(sub.password),
        };
        for (const [route, res] of Object.entries(attempts)) {
          expect(res.status, route).to.equal(403);
          expect(res.body.error.code, route).to.equal('TWO_FACTOR_NOT_ELIGIBLE');
        }
        expect(await credentialOf(site, sub.email)).to.equal(null);
        expect(await site.dump(/sessions|audit/i), 'nothing changed').to.deep.equal(before);
      });

      it('S9: Security Settings says 2FA is not available for sub-accounts and offers no way to enable it', async () => {
        const owner = await registerUser(site.url, 'owner5');
        const sub = await createSubAccount(owner, site.url);
        const page = expectStatus(await sub.browser.get('/account/security', { accept: 'text/html' }), 200, 'page');
        expect(page.text).to.contain('Two-factor authentication is not available for sub-accounts.');
        expect(page.text).to.not.contain('Click here to enable');
        const ownerPage = expectStatus(
          await owner.browser.get('/account/security', { accept: 'text/html' }),
          200,
          'owner page',
        );
        expect(ownerPage.text).to.contain('Click here to enable');
      });
    });
  });
}
