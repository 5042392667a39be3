/**
 * Trusted devices (S34) over the sites' HTTP contract: "Remember this browser" on the challenge,
 * the password step that skips only the second factor for this user's own valid token, the
 * Trusted devices list and its revocation, and every way a device dies. Runs on both sites and on
 * every database.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as chai from 'chai';
import { userIdByEmail } from './back-door';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  STEP_MS,
  type TwoFactorUser,
} from './flows';
import { mailsTo } from './outbox';
import { dumpText } from './secrets.security';
import { SiteClient, type SiteResponse } from './site-client';
import { useSite, type Backend, type SiteTarget, type SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** The sites' trusted-device cookie (the web package's default name). */
export const TRUSTED_DEVICE_COOKIE = 'sf_trusted_device';
const DEVICES = '/account/security/two-factor/devices';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Set-Cookie line for the trusted-device cookie, if the answer has one. */
function deviceSetCookie(res: SiteResponse): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${TRUSTED_DEVICE_COOKIE}=`));
}

/** Whether the answer clears the trusted-device cookie. */
function clearsDeviceCookie(res: SiteResponse): boolean {
  const line = deviceSetCookie(res);
  return line !== undefined && line.startsWith(`${TRUSTED_DEVICE_COOKIE}=;`) && /Max-Age=0/i.test(line);
}

/** A fresh code for the user: the site's fake clock moves one step past any code used before. */
function nextCode(site: SiteUnderTest, user: TwoFactorUser): string {
  site.clock.advance(STEP_MS);
  return codeForStep(user.secret, currentStep(site.clock));
}

/** A new browser that passes the password step and the code with "Remember this browser" ticked. */
async function rememberedBrowser(
  site: SiteUnderTest,
  user: TwoFactorUser,
  userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0',
): Promise<{ browser: SiteClient; challenge: SiteResponse }> {
  const browser = new SiteClient(site.url);
  const headers = { 'user-agent': userAgent };
  const login = expectStatus(await browser.post('/login', { json: user, headers }), 200, 'login');
  expect(login.body.status).to.equal('two-factor-required');
  const challenge = expectStatus(
    await browser.challenge({ code: nextCode(site, user), rememberDevice: true }, { headers }),
    200,
    'challenge with rememberDevice',
  );
  expect(challenge.body.status).to.equal('authenticated');
  expect(browser.cookies.get(TRUSTED_DEVICE_COOKIE), 'the device cookie').to.be.a('string');
  return { browser, challenge };
}

/** Logs the browser out, then in again with the password: the `status` of `POST /login`. */
async function logInAgain(browser: SiteClient, user: { email: string; password: string }): Promise<string> {
  expectStatus(await browser.logout(), 200, 'logout');
  const res = expectStatus(await browser.login(user.email, user.password), 200, 'login again');
  return res.body.status;
}

async function deviceRows(site: SiteUnderTest, email: string): Promise<Array<Record<string, unknown>>> {
  const userId = await userIdByEmail(site, email);
  return site.sql('SELECT * FROM two_factor_trusted_devices WHERE user_id = ?', [userId]);
}

/** Registers the trusted-device tests against a started site. */
export function trustedDeviceTests(site: SiteUnderTest): void {
  describe('trusted devices (S34)', () => {
    describe('when a customer ticks "Remember this browser" at the challenge', () => {
      it('S34: sets an HttpOnly, SameSite=Lax cookie (not Secure over http) that expires with its row', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-cookie', site.clock);
        const { browser, challenge } = await rememberedBrowser(site, user);
        const line = deviceSetCookie(challenge) as string;
        expect(line)
          .to.match(/; HttpOnly/i)
          .and.match(/; SameSite=Lax/i)
          .and.match(/; Path=\//);
        expect(line).to.not.match(/; Secure/i);
        const expires = Date.parse(/Expires=([^;]+)/i.exec(line)?.[1] ?? '');
        expect(Math.abs(expires - (site.clock.now().getTime() + 30 * DAY_MS))).to.be.below(2000);
        const [device] = expectStatus(await browser.get(DEVICES), 200, 'devices').body.devices;
        expect(Math.abs(Date.parse(device.expiresAt) - expires), 'the cookie expires with its row').to.be.below(1000);
        expect(Number(/Max-Age=(\d+)/i.exec(line)?.[1])).to.be.closeTo(30 * 24 * 3600, 2);
      });

      it('S34: remember, log out, then the password alone signs in; another browser still gets the challenge', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-skip', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        expect(await logInAgain(browser, user)).to.equal('authenticated');
        expect(await browser.session()).to.include({ authenticated: true, twoFactorPending: false });
        expect((await browser.get('/clientarea')).status).to.equal(200);
        const other = await passwordStep(site.url, user);
        expect(await other.session()).to.include({ authenticated: false, twoFactorPending: true });
      });

      it('S34: a wrong password with the cookie is still 401, and nobody is signed in', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-password', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        expectStatus(await browser.logout(), 200, 'logout');
        const res = await browser.login(user.email, `${user.password}-wrong`);
        expect(res.status).to.equal(401);
        expect(await browser.session()).to.include({ authenticated: false, twoFactorPending: false });
        expect(browser.cookies.get(TRUSTED_DEVICE_COOKIE), 'the cookie stays for the right password').to.be.a('string');
      });

      it("S34: the cookie copied to another user's login does not skip the challenge", async () => {
        const owner = await enableTwoFactorUser(site.url, 'trust-owner', site.clock);
        const other = await enableTwoFactorUser(site.url, 'trust-other', site.clock);
        const { browser } = await rememberedBrowser(site, owner);
        const thief = new SiteClient(site.url);
        thief.cookies.set(TRUSTED_DEVICE_COOKIE, browser.cookies.get(TRUSTED_DEVICE_COOKIE) as string);
        const res = expectStatus(await thief.login(other.email, other.password), 200, 'login as the other user');
        expect(res.body.status).to.equal('two-factor-required');
        expect(await thief.session()).to.include({ authenticated: false, twoFactorPending: true });
        expect(clearsDeviceCookie(res), 'a token that is not this user’s is cleared').to.equal(true);
      });

      it('S34: a code or a backup code without the box remembers nothing', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-unticked', site.clock);
        const browser = await passwordStep(site.url, user);
        const res = expectStatus(await browser.challenge({ backupCode: user.backupCodes[0] }), 200, 'backup code');
        expect(deviceSetCookie(res)).to.equal(undefined);
        expect(await deviceRows(site, user.email)).to.deep.equal([]);
      });

      it('S34: a backup code with the box remembers the browser too', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-backup', site.clock);
        const browser = await passwordStep(site.url, user);
        const res = expectStatus(
          await browser.challenge({ backupCode: user.backupCodes[0], rememberDevice: 'on' }),
          200,
          'backup code with rememberDevice',
        );
        expect(res.body.backupCodes).to.have.length(1);
        expect(deviceSetCookie(res)).to.be.a('string');
        expect(await logInAgain(browser, user)).to.equal('authenticated');
      });

      it('S34: an expired token is ignored and its cookie cleared', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-expired', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        site.clock.advance({ days: 30, seconds: 1 });
        expectStatus(await browser.logout(), 200, 'logout');
        const res = expectStatus(await browser.login(user.email, user.password), 200, 'login after expiry');
        expect(res.body.status).to.equal('two-factor-required');
        expect(clearsDeviceCookie(res)).to.equal(true);
        expect(browser.cookies.has(TRUSTED_DEVICE_COOKIE)).to.equal(false);
      });

      it('S34: the customer is emailed that a new browser was remembered', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-mail', site.clock);
        await rememberedBrowser(site, user);
        const mails = mailsTo(site.dataDir, user.email).filter((mail) => mail.event === 'trusted_device.added');
        expect(mails).to.have.length(1);
        expect(mails[0].subject).to.contain('A new browser was remembered for your account');
      });
    });

    describe('when the customer lists and revokes trusted devices', () => {
      it('S34: GET …/devices lists label, created, last used and expiry, the current browser marked', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-list', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        await rememberedBrowser(
          site,
          user,
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
        );
        const res = expectStatus(await browser.get(DEVICES), 200, 'devices');
        expect(res.headers.get('cache-control')).to.contain('no-store');
        expect(res.body.devices).to.have.length(2);
        for (const device of res.body.devices)
          expect(device).to.have.all.keys('id', 'label', 'createdAt', 'lastUsedAt', 'expiresAt', 'current');
        expect(res.body.devices.map((device: { label: string; current: boolean }) => [device.label, device.current]))
          .to.deep.include(['Firefox on Windows', true])
          .and.to.deep.include(['Safari on iOS', false]);
      });

      it('S34: Security Settings shows the Trusted devices section with this browser marked', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-page', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        const page = expectStatus(await browser.get('/account/security', { accept: 'text/html' }), 200, 'security');
        expect(page.text).to.contain('Trusted devices').and.to.contain('Firefox on Windows');
        expect(page.text).to.contain('This browser');
        expect(page.text).to.match(/action="\/account\/security\/two-factor\/devices\/[0-9a-f-]{36}\/revoke"/);
        expect(page.text).to.contain('action="/account/security/two-factor/devices/revoke-all"');
      });

      it('S34: revoke one: that browser is challenged again, the other still skips', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-revoke', site.clock);
        const first = (await rememberedBrowser(site, user)).browser;
        const second = (await rememberedBrowser(site, user)).browser;
        const listed = expectStatus(await first.get(DEVICES), 200, 'devices').body.devices;
        const current = listed.find((device: { current: boolean }) => device.current);
        const res = expectStatus(await first.post(`${DEVICES}/${current.id}/revoke`, { json: {} }), 200, 'revoke');
        expect(res.body).to.deep.equal({ revoked: 1 });
        expect(clearsDeviceCookie(res), 'revoking this browser clears its cookie').to.equal(true);
        const again = expectStatus(await first.post(`${DEVICES}/${current.id}/revoke`, { json: {} }), 200, 'again');
        expect(again.body).to.deep.equal({ revoked: 0 });
        expect(await logInAgain(first, user)).to.equal('two-factor-required');
        expect(await logInAgain(second, user)).to.equal('authenticated');
      });

      it("S34: revoking another customer's device id revokes nothing", async () => {
        const owner = await enableTwoFactorUser(site.url, 'trust-victim', site.clock);
        const attacker = await enableTwoFactorUser(site.url, 'trust-attacker', site.clock);
        const { browser } = await rememberedBrowser(site, owner);
        const [device] = expectStatus(await browser.get(DEVICES), 200, 'devices').body.devices;
        const res = expectStatus(
          await attacker.browser.post(`${DEVICES}/${device.id}/revoke`, { json: {} }),
          200,
          'foreign revoke',
        );
        expect(res.body).to.deep.equal({ revoked: 0 });
        expect(await deviceRows(site, owner.email)).to.have.length(1);
      });

      it('S31, S34: revoke all: every remembered browser is challenged again, and the other sessions end', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-revoke-all', site.clock);
        const first = (await rememberedBrowser(site, user)).browser;
        const second = (await rememberedBrowser(site, user)).browser;
        const res = expectStatus(await first.post(`${DEVICES}/revoke-all`, { json: {} }), 200, 'revoke all');
        expect(res.body).to.deep.equal({ revoked: 2 });
        expect(await deviceRows(site, user.email)).to.deep.equal([]);
        // The security stamp rotated: the other session is signed out, the one that asked carries on.
        expect((await second.get('/clientarea')).status, 'the other session').to.equal(401);
        expect((await first.get('/clientarea')).status, 'the session that revoked').to.equal(200);
        expect(await logInAgain(second, user)).to.equal('two-factor-required');
        expect(await logInAgain(first, user)).to.equal('two-factor-required');
      });

      it('S25, S34: the revoke routes refuse a POST without the CSRF token', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-csrf', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        const res = await browser.post(`${DEVICES}/revoke-all`, { json: {}, csrf: false });
        expect(res.status).to.equal(403);
        expect(await deviceRows(site, user.email)).to.have.length(1);
      });

      it('S34: the devices routes answer 401 to a browser that is not signed in', async () => {
        const res = await new SiteClient(site.url).get(DEVICES);
        expect(res.status).to.equal(401);
      });
    });

    describe('when the second factor or the password changes', () => {
      it('S34: disabling 2FA deletes every device, and a new enrollment honours none of the old tokens', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-disable', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        expectStatus(await user.browser.disable(user.password), 200, 'disable');
        expect(await deviceRows(site, user.email)).to.deep.equal([]);
        const { secret } = expectStatus(await user.browser.enroll(), 200, 'enroll again').body;
        site.clock.advance(STEP_MS);
        expectStatus(await user.browser.confirm(codeForStep(secret, currentStep(site.clock))), 200, 'confirm again');
        expect(await logInAgain(browser, user)).to.equal('two-factor-required');
      });

      it('S34: an admin disable deletes every device', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-admin', site.clock);
        await rememberedBrowser(site, user);
        const outcome = await site.admin(['2fa:disable', user.email, '--actor', 'support:trust-test']);
        expect(outcome.exitCode, outcome.message).to.equal(0);
        expect(await deviceRows(site, user.email)).to.deep.equal([]);
      });

      it('S34: a password change deletes every device', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-password-change', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        const newPassword = `${user.password}-new`;
        const res = await user.browser.post('/account/password', {
          json: { currentPassword: user.password, newPassword },
        });
        expectStatus(res, 200, 'password change');
        expect(await deviceRows(site, user.email)).to.deep.equal([]);
        expect(await logInAgain(browser, { email: user.email, password: newPassword })).to.equal('two-factor-required');
      });
    });

    describe('when the database is read behind the site', () => {
      it('S34: no token is stored in plaintext; only its SHA-256 hash is', async () => {
        const user = await enableTwoFactorUser(site.url, 'trust-at-rest', site.clock);
        const { browser } = await rememberedBrowser(site, user);
        const token = browser.cookies.get(TRUSTED_DEVICE_COOKIE) as string;
        const bytes = Buffer.from(token, 'base64url');
        expect(bytes).to.have.length(32);
        const text = dumpText(await site.dump());
        expect(text).to.contain(user.email);
        for (const spelling of [token, bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, '')])
          expect(text, 'a token spelling in the database').to.not.contain(spelling);
        const [row] = await deviceRows(site, user.email);
        expect(row.token_hash).to.equal(createHash('sha256').update(token).digest('hex'));
        if (site.sqliteFile) {
          for (const path of [site.sqliteFile, `${site.sqliteFile}-wal`])
            if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(token)), path).to.equal(false);
        }
      });
    });
  });
}

/** Registers the test of `TRUSTED_DEVICE_DAYS=0` on a site of its own. */
export function trustedDevicesOffTests(target: SiteTarget, backend: Backend): void {
  describe('trusted devices turned off (TRUSTED_DEVICE_DAYS=0)', () => {
    const site = useSite(target, backend, 'no-trust', { TRUSTED_DEVICE_DAYS: '0' });

    it('S34: the challenge has no checkbox, and rememberDevice remembers nothing', async () => {
      const user = await enableTwoFactorUser(site.url, 'trust-off', site.clock);
      const browser = await passwordStep(site.url, user);
      const page = expectStatus(await browser.get('/login/two-factor', { accept: 'text/html' }), 200, 'challenge');
      expect(page.text).to.not.contain('rememberDevice').and.to.not.contain('Remember this browser');
      const res = expectStatus(
        await browser.challenge({ code: nextCode(site, user), rememberDevice: true }),
        200,
        'challenge',
      );
      expect(deviceSetCookie(res)).to.equal(undefined);
      expect(await deviceRows(site, user.email)).to.deep.equal([]);
    });
  });
}
