/**
 * The site's own HTTP contract: session probe, login, registration, logout, guards,
 * CSRF, errors, and pages that need nothing from the internet.
 */
import * as chai from 'chai';
import { expectStatus, registerUser, uniqueEmail } from './flows';
import { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** The session cookie of both sites. */
export const SESSION_COOKIE = 'billing.sid';

/** Registers the contract tests against a started site. */
export function contractTests(site: SiteUnderTest): void {
  describe('HTTP contract', () => {
    describe('when an anonymous browser asks GET /session', () => {
      it('answers the documented shape with a CSRF token and no-store', async () => {
        const res = expectStatus(await new SiteClient(site.url).get('/session'), 200, 'session');
        expect(res.body).to.have.all.keys(
          'authenticated',
          'twoFactorPending',
          'user',
          'csrfToken',
          'twoFactorEnrollmentRequired',
          'twoFactorRequiredBy',
          'stepUpValidUntil',
        );
        expect(res.body).to.include({ authenticated: false, twoFactorPending: false, user: null });
        expect(res.body).to.include({ twoFactorEnrollmentRequired: false, twoFactorRequiredBy: null });
        expect(res.body).to.include({ stepUpValidUntil: null });
        expect(res.body.csrfToken).to.be.a('string').with.length.greaterThan(10);
        expect(res.headers.get('cache-control')).to.contain('no-store');
      });
    });

    describe('when the password step fails', () => {
      it('S14: answers the same 401 for an unknown email and a wrong password', async () => {
        const user = await registerUser(site.url, 'wrongpw');
        const unknown = await new SiteClient(site.url).login(uniqueEmail('nobody'), 'whatever password');
        const wrong = await new SiteClient(site.url).login(user.email, 'not the password');
        expect(unknown.status).to.equal(401);
        expect(wrong.status).to.equal(401);
        expect(unknown.body).to.deep.equal(wrong.body);
        expect(wrong.body.error.code).to.equal('INVALID_CREDENTIALS');
      });

      it('answers 400 INVALID_INPUT for a missing password or a non-string email, never a 5xx', async () => {
        const browser = new SiteClient(site.url);
        for (const json of [
          { email: 'a@example.com' },
          { email: ['a@example.com'], password: 'x' },
          { email: 'a@example.com', password: { $gt: '' } },
          {},
          [1, 2],
        ]) {
          const res = await browser.post('/login', { json });
          expect(res.status, JSON.stringify(json)).to.equal(400);
          expect(res.body.error.code, JSON.stringify(json)).to.equal('INVALID_INPUT');
        }
      });

      it('shows the login form again with an error for a browser, with status 401', async () => {
        const browser = new SiteClient(site.url);
        const token = await browser.csrfToken();
        const res = await browser.post('/login', {
          form: { email: 'nobody@example.com', password: 'nope nope', _csrf: token },
          accept: 'text/html',
          csrf: false,
        });
        expect(res.status).to.equal(401);
        expect(res.text)
          .to.contain('The email address or password is not correct.')
          .and.contain('value="nobody@example.com"');
      });
    });

    describe('when the CSRF token is missing or wrong', () => {
      it('S25: login, registration, logout and sub-account creation answer 403 CSRF_INVALID', async () => {
        const browser = new SiteClient(site.url);
        for (const path of ['/login', '/register', '/logout', '/account/users']) {
          const res = await browser.post(path, {
            json: { email: 'a@example.com', password: 'long enough', name: 'A' },
            csrf: false,
          });
          expect(res.status, path).to.equal(403);
          expect(res.body.error.code, path).to.equal('CSRF_INVALID');
          const forged = await browser.post(path, { json: { name: 'A' }, headers: { 'x-csrf-token': 'forged-token' } });
          expect(forged.status, path).to.equal(403);
          expect(forged.body.error.code, path).to.equal('CSRF_INVALID');
        }
      });

      it('S25: a token in the query string does not count', async () => {
        const browser = new SiteClient(site.url);
        const token = await browser.csrfToken();
        const res = await browser.post(`/login?_csrf=${encodeURIComponent(token)}`, {
          json: { email: 'a@example.com', password: 'long enough' },
          csrf: false,
        });
        expect(res.status).to.equal(403);
        expect(res.body.error.code).to.equal('CSRF_INVALID');
      });
    });

    describe('when a customer registers', () => {
      it('S24: is signed in through the password step, and the session id changes (S23)', async () => {
        const browser = new SiteClient(site.url);
        await browser.session();
        const before = browser.cookies.get(SESSION_COOKIE);
        expect(before, 'the probe started a session').to.be.a('string');
        const email = uniqueEmail('register');
        const res = expectStatus(
          await browser.register({
            name: '  Reg   Istered ',
            email: email.toUpperCase(),
            password: 'long enough password',
          }),
          201,
          'register',
        );
        expect(res.body).to.deep.include({ status: 'authenticated' });
        expect(res.headers.get('cache-control')).to.contain('no-store');
        expect(res.body.user).to.include({ name: 'Reg Istered', email, isSubAccount: false });
        expect(browser.cookies.get(SESSION_COOKIE)).to.be.a('string').and.not.equal(before);
        expect((await browser.get('/clientarea')).status).to.equal(200);
      });

      it('refuses bad fields with 400 and per-field messages, and a taken email with 409', async () => {
        const bad = await new SiteClient(site.url).register({ name: '', email: 'not-an-email', password: 'short' });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.code).to.equal('INVALID_INPUT');
        expect(bad.body.error.fields).to.have.all.keys('name', 'email', 'password');
        const user = await registerUser(site.url, 'taken');
        const taken = await new SiteClient(site.url).register({
          name: 'Copy Cat',
          email: user.email,
          password: 'long enough password',
        });
        expect(taken.status).to.equal(409);
        expect(taken.body.error.code).to.equal('EMAIL_TAKEN');
      });

      it('shows the form again to a browser, with the fields it had and their messages', async () => {
        const browser = new SiteClient(site.url);
        const token = await browser.csrfToken();
        const res = await browser.post('/register', {
          form: { name: 'Form <Filler>', email: 'not-an-email', password: 'short', _csrf: token },
          accept: 'text/html',
          csrf: false,
        });
        expect(res.status).to.equal(400);
        expect(res.text).to.contain('value="Form &lt;Filler&gt;"').and.contain('Enter a valid email address.');
        expect(res.text).not.to.contain('value="short"');
      });
    });

    describe('when a signed-in customer logs out', () => {
      it('destroys the server-side session, so the old cookie is signed out too', async () => {
        const user = await registerUser(site.url, 'logout');
        const stolen = user.browser.clone();
        const res = expectStatus(await user.browser.logout(), 200, 'logout');
        expect(res.body).to.deep.equal({ status: 'signed-out' });
        expect((await user.browser.session()).authenticated).to.equal(false);
        expect((await stolen.get('/clientarea')).status).to.equal(401);
      });

      it('sends a browser back to the login page', async () => {
        const user = await registerUser(site.url, 'logout-form');
        const token = await user.browser.csrfToken();
        const res = await user.browser.post('/logout', { form: { _csrf: token }, accept: 'text/html', csrf: false });
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.equal('/login');
        expect((await user.browser.session()).authenticated).to.equal(false);
      });
    });

    describe('when a protected page is asked for without a sign-in', () => {
      it('answers 401 TWO_FACTOR_SIGN_IN_REQUIRED to JSON and redirects a browser to /login', async () => {
        const browser = new SiteClient(site.url);
        for (const path of ['/clientarea', '/account/security', '/account/users']) {
          const json = await browser.get(path);
          expect(json.status, path).to.equal(401);
          expect(json.body.error.code, path).to.equal('TWO_FACTOR_SIGN_IN_REQUIRED');
          const html = await browser.get(path, { accept: 'text/html' });
          expect(html.status, path).to.equal(302);
          expect(html.headers.get('location'), path).to.equal('/login');
        }
      });
    });

    describe('when an unknown address is asked for', () => {
      it('answers 404 NOT_FOUND as JSON, and an error page to a browser', async () => {
        const browser = new SiteClient(site.url);
        const json = await browser.get('/no/such/page');
        expect(json.status).to.equal(404);
        expect(json.body).to.deep.equal({ error: { code: 'NOT_FOUND', message: 'There is nothing at this address.' } });
        const html = await browser.get('/no/such/page', { accept: 'text/html' });
        expect(html.status).to.equal(404);
        expect(html.text).to.contain('Page not found');
      });
    });

    describe('when a route is called with a method it does not accept', () => {
      it('answers 405 METHOD_NOT_ALLOWED, never a 5xx, even for an unknown method', async () => {
        const browser = new SiteClient(site.url);
        for (const path of ['/login', '/register', '/account/users']) {
          for (const method of ['PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
            const res = await browser.request(method, path, { json: {}, csrf: true });
            expect(res.status, `${method} ${path}`).to.equal(405);
            expect(res.body.error.code, `${method} ${path}`).to.equal('METHOD_NOT_ALLOWED');
          }
        }
      });
    });

    describe('when a signed-in customer opens the pages', () => {
      it('serves the client area, Security Settings and the stylesheet from this server only', async () => {
        const user = await registerUser(site.url, 'pages');
        const pages = ['/clientarea', '/account/security', '/account/users'];
        for (const path of pages) {
          const res = await user.browser.get(path, { accept: 'text/html' });
          expect(res.status, path).to.equal(200);
          expect(res.text, path).to.contain('Hello, Test!');
          expect(res.text, path).to.contain('href="/account/security"');
          // No CDN: every stylesheet, script and image is local (the site must work offline).
          expect(res.text, path).to.not.match(/(src|href)="(https?:)?\/\//);
          expect(res.headers.get('content-security-policy'), path).to.contain("frame-ancestors 'none'");
          expect(res.headers.get('x-frame-options'), path).to.equal('DENY');
        }
        const security = await user.browser.get('/account/security', { accept: 'text/html' });
        expect(security.text).to.contain('Two-Factor Authentication').and.contain('Click here to enable');
        const css = await user.browser.get('/assets/styles.css', { accept: 'text/css' });
        expect(css.status).to.equal(200);
        expect(css.headers.get('content-type')).to.contain('text/css');
        expect(css.text).to.contain('.user-menu');
        expect((await user.browser.get('/assets/nothing.css', { accept: 'text/css' })).status).to.equal(404);
      });

      it('answers the client area and Security Settings as JSON to an API client', async () => {
        const user = await registerUser(site.url, 'pages-json');
        const area = expectStatus(await user.browser.get('/clientarea'), 200, 'client area');
        expect(area.body.user).to.include({ email: user.email, isSubAccount: false });
        expect(area.body).to.have.keys('user', 'services', 'invoices', 'twoFactor');
        expect(area.body.twoFactor).to.deep.equal({ enabled: false, eligible: true });
        const security = expectStatus(await user.browser.get('/account/security'), 200, 'security');
        expect(security.body.twoFactor).to.include({ enabled: false, pending: false, eligible: true });
      });

      it('sends a signed-in browser from / and /login to the client area', async () => {
        const user = await registerUser(site.url, 'pages-home');
        for (const path of ['/', '/login', '/register']) {
          const res = await user.browser.get(path, { accept: 'text/html' });
          expect(res.status, path).to.equal(302);
          expect(res.headers.get('location'), path).to.equal('/clientarea');
        }
        const anonymous = await new SiteClient(site.url).get('/', { accept: 'text/html' });
        expect(anonymous.headers.get('location')).to.equal('/login');
      });
    });
  });
}
