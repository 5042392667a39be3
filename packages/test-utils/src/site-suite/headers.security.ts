/**
 * Headers and HTTPS (S38, docs/security.md#s38): nothing behind sign-in is cached, frames are
 * refused, and over https the site sends HSTS and a `__Host-` Secure cookie behind one trusted proxy.
 */
import * as chai from 'chai';
import { auditEventTypes, userIdByEmail } from './back-door';
import { expectStatus, registerUser } from './flows';
import { mailsTo } from './outbox';
import { SiteClient } from './site-client';
import { useSite, type Backend, type SiteTarget, type SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Registers the header tests on the shared (plain HTTP) site. */
export function headerTests(site: SiteUnderTest): void {
  describe('headers', () => {
    describe('when a signed-in user loads pages and JSON', () => {
      it('S38: every page and JSON answer behind sign-in is no-store, and frames are refused', async () => {
        const user = await registerUser(site.url, 's38-headers');
        for (const path of ['/clientarea', '/account/security', '/account/users', '/account/sessions', '/session']) {
          for (const accept of ['application/json', 'text/html']) {
            const res = await user.browser.get(path, { accept });
            expect(res.headers.get('cache-control'), `${path} ${accept}`).to.equal('no-store');
            expect(res.headers.get('content-security-policy')).to.include("frame-ancestors 'none'");
            expect(res.headers.get('content-security-policy')).to.include("script-src 'none'");
          }
        }
        expect((await user.browser.get('/clientarea')).headers.get('strict-transport-security')).to.equal(null);
      });
    });

    describe('when requests are answered', () => {
      it('S38: each answer carries its own X-Request-Id', async () => {
        const browser = new SiteClient(site.url);
        const ids = [
          (await browser.get('/session')).headers.get('x-request-id'),
          (await browser.get('/login')).headers.get('x-request-id'),
        ];
        for (const id of ids) expect(id).to.match(/^[0-9a-f-]{36}$/);
        expect(ids[0]).to.not.equal(ids[1]);
      });
    });

    describe('when an account signs in, is refused, creates a user and signs out', () => {
      it('S32, S38: password-step success and failure, CSRF refusals, sub-account creation and logout are audited', async () => {
        const owner = await registerUser(site.url, 's38-audit');
        expect((await new SiteClient(site.url).login(owner.email, 'wrong password')).status).to.equal(401);
        expect((await new SiteClient(site.url).login(owner.email, owner.password)).status).to.equal(200);
        const refused = await owner.browser.post('/account/password', {
          json: { currentPassword: owner.password, newPassword: 'whatever new one' },
          csrf: false,
        });
        expect(refused.status).to.equal(403);
        const sub = {
          name: 'Audited Sub',
          email: `s38-sub-${Date.now()}@example.test`,
          password: 'sub-account password',
        };
        expectStatus(await owner.browser.post('/account/users', { json: sub }), 201, 'create sub-account');
        expectStatus(await owner.browser.logout(), 200, 'logout');
        const types = await auditEventTypes(site, owner.email);
        for (const type of ['account.registered', 'login.failed', 'login.succeeded', 'request.csrf_refused', 'logout'])
          expect(types, type).to.include(type);
        const created = await site.sql<{ actor_id: string | null }>(
          "SELECT actor_id FROM two_factor_audit_events WHERE type = 'account.sub_account_created' AND user_id = ?",
          [await userIdByEmail(site, sub.email)],
        );
        expect(created.map((row) => String(row.actor_id))).to.deep.equal([await userIdByEmail(site, owner.email)]);
        expect(
          mailsTo(site.dataDir, owner.email)
            .map((mail) => mail.subject)
            .join('\n'),
        ).to.include('A user was added to your account');
      });
    });

    describe('when X-Forwarded-For is sent without TRUST_PROXY', () => {
      it('S38: the recorded address is the peer, never the header', async () => {
        const user = await registerUser(site.url, 's38-xff');
        const browser = new SiteClient(site.url);
        await browser.request('POST', '/login', {
          json: { email: user.email, password: 'wrong password' },
          headers: { 'x-forwarded-for': '198.51.100.9' },
        });
        const rows = await site.sql<{ ip: string | null }>(
          "SELECT ip FROM two_factor_audit_events WHERE type = 'login.failed' AND user_id = ?",
          [await userIdByEmail(site, user.email)],
        );
        expect(rows).to.have.length(1);
        expect(rows[0].ip).to.match(/^(127\.0\.0\.1|::1)$/);
      });
    });
  });
}

/** Registers the https tests on a site of their own (`PUBLIC_URL=HTTPS://…`, `TRUST_PROXY=1`). */
export function httpsTests(target: SiteTarget, backend: Backend): void {
  describe('headers over https', () => {
    const site = useSite(target, backend, 's38-https', {
      PUBLIC_URL: 'HTTPS://billing.example.test',
      TRUST_PROXY: '1',
    });
    const overTls = { 'x-forwarded-proto': 'https' };
    /** A POST as it arrives through the TLS proxy: the CSRF token from a `/session` read through it too. */
    const postOverTls = async (
      browser: SiteClient,
      path: string,
      json: unknown,
      headers: Record<string, string> = {},
    ) => {
      const token = (await browser.request('GET', '/session', { headers: overTls })).body.csrfToken as string;
      return browser.request('POST', path, {
        json,
        csrf: false,
        headers: { ...overTls, 'x-csrf-token': token, ...headers },
      });
    };

    describe('when the public URL is https (in capitals) behind one trusted proxy', () => {
      it('S38: sends HSTS, and a __Host- session cookie that is Secure, HttpOnly and for path /', async () => {
        const browser = new SiteClient(site.url);
        const res = await postOverTls(browser, '/register', {
          name: 'Tls',
          email: `s38-tls-${Date.now()}@example.test`,
          password: 'a fine password',
        });
        expectStatus(res, 201, 'register');
        expect(res.headers.get('strict-transport-security')).to.match(/^max-age=31536000/);
        const cookie = res.headers.getSetCookie().find((line) => line.startsWith('__Host-billing.sid='));
        expect(cookie).to.be.a('string');
        expect(cookie).to.match(/;\s*secure/i);
        expect(cookie).to.match(/;\s*path=\//i);
        expect(cookie).to.not.match(/domain=/i);
        const area = await browser.request('GET', '/clientarea', { headers: overTls });
        expect(area.status).to.equal(200);
      });

      it('S38: a forged X-Forwarded-For with spaces never reaches the audit table', async () => {
        const email = `s38-forged-${Date.now()}@example.test`;
        const registered = await postOverTls(new SiteClient(site.url), '/register', {
          name: 'Forged',
          email,
          password: 'a fine password',
        });
        expectStatus(registered, 201, 'register');
        for (const forwarded of ['1.2.3.4 user=admin', '203.0.113.5, 198.51.100.7'])
          await postOverTls(
            new SiteClient(site.url),
            '/login',
            { email, password: 'wrong password' },
            {
              'x-forwarded-for': forwarded,
            },
          );
        const rows = await site.sql<{ ip: string | null }>(
          "SELECT ip FROM two_factor_audit_events WHERE type = 'login.failed' AND user_id = ?",
          [await userIdByEmail(site, email)],
        );
        // One hop is trusted: the last entry (what the proxy saw), never the client's first pick or a forged one.
        expect(rows.map((row) => row.ip ?? 'none').sort()).to.deep.equal(['198.51.100.7', 'none']);
        expect(site.logLines.join('\n')).to.not.include('ip=1.2.3.4 user=admin');
      });
    });
  });
}
