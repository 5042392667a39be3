/**
 * Session lifetimes and the session list (S33, docs/security.md#s33): a browser-session cookie, an
 * idle timeout and an absolute lifetime enforced by the server, and `/account/sessions` to list
 * the user's sessions, end one, or end all others.
 */
import * as chai from 'chai';
import { expectStatus, registerUser } from './flows';
import { SiteClient } from './site-client';
import { useSite, type Backend, type SiteTarget } from './site-under-test';

const { expect } = chai;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** Registers the lifetime and session-list tests on a site of their own (defaults: 30 min idle, 12 h). */
export function sessionLifetimeTests(target: SiteTarget, backend: Backend): void {
  describe('session lifetimes and the session list', () => {
    const site = useSite(target, backend, 's33');

    describe('when a user signs in', () => {
      it('S33: the session cookie is a browser-session cookie (no Max-Age, no Expires), HttpOnly and SameSite=Lax', async () => {
        const browser = new SiteClient(site.url);
        const res = await browser.register({
          name: 'Cookie',
          email: `s33-cookie-${Date.now()}@example.test`,
          password: 'a fine password',
        });
        const cookies = res.headers.getSetCookie().filter((line) => line.startsWith('billing.sid='));
        expect(cookies).to.not.be.empty;
        for (const line of cookies) {
          expect(line).to.not.match(/max-age|expires/i);
          expect(line).to.match(/httponly/i);
          expect(line).to.match(/samesite=lax/i);
        }
      });
    });

    describe('when a session is idle for 30 minutes', () => {
      it('S33: it is signed out; activity within the timeout keeps it alive', async () => {
        const user = await registerUser(site.url, 's33-idle');
        site.clock.advance({ minutes: 25 });
        expect((await user.browser.get('/clientarea')).status).to.equal(200);
        site.clock.advance({ minutes: 25 });
        expect((await user.browser.get('/clientarea')).status).to.equal(200);
        site.clock.advance({ minutes: 30, seconds: 1 });
        expect((await user.browser.get('/clientarea')).status).to.equal(401);
      });
    });

    describe('when an active session reaches 12 hours', () => {
      it('S33: it is signed out however active it is', async () => {
        const user = await registerUser(site.url, 's33-absolute');
        for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
          site.clock.advance({ minutes: 20 });
          expect((await user.browser.get('/clientarea')).status, `after ${minutes} minutes`).to.equal(200);
        }
        site.clock.advance({ minutes: 20 });
        expect((await user.browser.get('/clientarea')).status).to.equal(401);
      });
    });

    describe('when a user has several sessions', () => {
      it('S33: lists them, the current one marked, with created, last seen, IP and a short browser name', async () => {
        const user = await registerUser(site.url, 's33-list');
        const other = new SiteClient(site.url);
        expectStatus(
          await other.request('POST', '/login', {
            json: { email: user.email, password: user.password },
            headers: { 'user-agent': FIREFOX },
          }),
          200,
          'second login',
        );
        const list = expectStatus(await user.browser.get('/account/sessions'), 200, 'list');
        expect(list.headers.get('cache-control')).to.equal('no-store');
        expect(list.body.sessions).to.have.length(2);
        const [current, firefox] = [
          list.body.sessions.find((s: { current: boolean }) => s.current),
          list.body.sessions.find((s: { current: boolean }) => !s.current),
        ];
        expect(current).to.include.keys('id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent');
        expect(firefox).to.include({ userAgent: 'Firefox on Linux', current: false });
        expect(firefox.ip).to.match(/^(127\.0\.0\.1|::1)$/);
        expect(JSON.stringify(list.body)).to.not.include(other.cookies.get('billing.sid') ?? 'no cookie');
      });

      it('S33: revokes one by id: that browser is signed out, this one stays', async () => {
        const user = await registerUser(site.url, 's33-revoke');
        const other = new SiteClient(site.url);
        expectStatus(await other.login(user.email, user.password), 200, 'second login');
        const list = expectStatus(await user.browser.get('/account/sessions'), 200, 'list');
        const target = list.body.sessions.find((s: { current: boolean }) => !s.current);
        const revoked = await user.browser.post(`/account/sessions/${target.id}/revoke`, { json: {} });
        expect(revoked.status).to.equal(200);
        expect(revoked.body).to.deep.equal({ revoked: 1 });
        expect((await other.get('/clientarea')).status).to.equal(401);
        expect((await user.browser.get('/clientarea')).status).to.equal(200);
      });

      it("S33: cannot revoke another user's session (404), and signs out all others at once", async () => {
        const user = await registerUser(site.url, 's33-others');
        const stranger = await registerUser(site.url, 's33-stranger');
        const strangers = expectStatus(await stranger.browser.get('/account/sessions'), 200, 'list');
        const foreign = await user.browser.post(`/account/sessions/${strangers.body.sessions[0].id}/revoke`, {
          json: {},
        });
        expect(foreign.status).to.equal(404);
        expect((await stranger.browser.get('/clientarea')).status).to.equal(200);
        const others = [new SiteClient(site.url), new SiteClient(site.url)];
        for (const browser of others) expectStatus(await browser.login(user.email, user.password), 200, 'login');
        const res = await user.browser.post('/account/sessions/revoke-others', { json: {} });
        expect(res.body).to.deep.equal({ revoked: 2 });
        for (const browser of others) expect((await browser.get('/clientarea')).status).to.equal(401);
        expect((await user.browser.get('/clientarea')).status).to.equal(200);
      });

      it('S33: Security Settings shows the Sessions section', async () => {
        const user = await registerUser(site.url, 's33-page');
        const page = await user.browser.get('/account/security', { accept: 'text/html' });
        expect(page.text).to.include('Sessions');
        expect(page.text).to.include('This session');
        expect(page.text).to.include('/account/sessions/revoke-others');
      });
    });
  });
}
