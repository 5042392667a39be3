/**
 * Managing 2FA over HTTP (S7, S8, S25): enable, disable and regenerate need CSRF, a fully signed-in
 * session and (for disable and regenerate) the current password. Sub-accounts: see `sub-accounts.ts`.
 */
import * as chai from 'chai';
import { credentialOf } from './back-door';
import { codeForStep, currentStep, enableTwoFactorUser, expectStatus, passwordStep, registerUser } from './flows';
import { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Excludes every table but the credential and backup-code tables. */
const ALL_BUT_TWO_FACTOR = /^(?!two_factor_(credentials|backup_codes)$)/;
/** Tables that change on any request or event. */
const VOLATILE = /sessions|audit/i;

/** Registers the 2FA management tests against a started site. */
export function managementTests(site: SiteUnderTest): void {
  describe('2FA management over HTTP', () => {
    describe('when the CSRF token is missing', () => {
      it('S25: enroll, confirm, disable and regenerate answer 403 and change nothing', async () => {
        const user = await enableTwoFactorUser(site.url, 'manage-csrf', site.clock);
        const fresh = await registerUser(site.url, 'manage-csrf-new');
        const before = await site.dump(VOLATILE);
        for (const res of [
          await fresh.browser.enroll({ csrf: false }),
          await user.browser.confirm(codeForStep(user.secret, user.confirmedStep + 1), { csrf: false }),
          await user.browser.disable(user.password, { csrf: false }),
          await user.browser.regenerateBackupCodes(user.password, { csrf: false }),
          await user.browser.disable(user.password, { headers: { 'x-csrf-token': 'forged-token' } }),
        ]) {
          expect(res.status, res.text).to.equal(403);
          expect(res.body.error.code).to.equal('CSRF_INVALID');
        }
        expect(await site.dump(VOLATILE)).to.deep.equal(before);
        expect((await fresh.browser.twoFactorStatus()).body.pending).to.equal(false);
      });
    });

    describe('when the password is missing or wrong', () => {
      it('S8: disable and regenerate are refused and 2FA stays on with the same backup code', async () => {
        const user = await enableTwoFactorUser(site.url, 'manage-reauth', site.clock);
        const before = await site.dump(VOLATILE);
        const missing = [await user.browser.disable(undefined), await user.browser.regenerateBackupCodes(undefined)];
        for (const res of missing) {
          expect(res.status, res.text).to.equal(400);
          expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
        }
        expect(await site.dump(VOLATILE), 'a missing password changes nothing').to.deep.equal(before);
        for (const res of [
          await user.browser.disable('not the password'),
          await user.browser.regenerateBackupCodes('not the password'),
        ]) {
          expect(res.status, res.text).to.equal(401);
          expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_PASSWORD');
        }
        const status = await user.browser.twoFactorStatus();
        expect(status.body).to.include({ enabled: true, backupCodesRemaining: user.backupCodes.length });
        const login = await (await passwordStep(site.url, user)).challenge({ backupCode: user.backupCodes[0] });
        expect(login.status, 'the old backup code still works').to.equal(200);
      });
    });

    describe('when 2FA is disabled twice', () => {
      it('S8: the first succeeds with the password, the second answers 409 TWO_FACTOR_NOT_ENABLED', async () => {
        const user = await enableTwoFactorUser(site.url, 'manage-twice', site.clock);
        const first = await user.browser.disable(user.password);
        expect(first.status, first.text).to.equal(200);
        expect(first.body).to.deep.include({ enabled: false });
        const second = await user.browser.disable(user.password);
        expect(second.status).to.equal(409);
        expect(second.body.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
        expect(await credentialOf(site, user.email)).to.equal(null);
        const login = expectStatus(await new SiteClient(site.url).login(user.email, user.password), 200, 'login');
        expect(login.body.status).to.equal('authenticated');
      });
    });

    describe('when backup codes are regenerated', () => {
      it('S8, S19: the old code dies and the new one works once', async () => {
        const user = await enableTwoFactorUser(site.url, 'manage-regen', site.clock);
        const res = await user.browser.regenerateBackupCodes(user.password);
        expect(res.status, res.text).to.equal(200);
        expect(res.headers.get('cache-control')).to.include('no-store');
        const fresh: string[] = res.body.backupCodes;
        expect(fresh).to.be.an('array').with.length(user.backupCodes.length);
        expect(fresh).not.to.include(user.backupCodes[0]);
        const old = await (await passwordStep(site.url, user)).challenge({ backupCode: user.backupCodes[0] });
        expect(old.status).to.equal(401);
        const backupCode = fresh[0].toLowerCase().replace(/-/g, ' ');
        const ok = await (await passwordStep(site.url, user)).challenge({ backupCode });
        expect(ok.status, ok.text).to.equal(200);
        const twice = await (await passwordStep(site.url, user)).challenge({ backupCode });
        expect(twice.status, 'once only').to.equal(401);
      });
    });

    describe('when enrollment runs in a signed-in session', () => {
      it('S7, S25: answers no-store, stays pending until confirmed, and never shows the secret again', async () => {
        const user = await registerUser(site.url, 'manage-enroll');
        const start = await user.browser.enroll();
        expect(start.status, start.text).to.equal(200);
        expect(start.headers.get('cache-control')).to.include('no-store');
        expect(start.body.otpauthUrl).to.match(/^otpauth:\/\/totp\//);
        expect((await user.browser.twoFactorStatus()).body).to.include({ enabled: false, pending: true });
        const confirmed = await user.browser.confirm(codeForStep(start.body.secret, currentStep(site.clock)));
        expect(confirmed.status, confirmed.text).to.equal(200);
        expect(confirmed.headers.get('cache-control')).to.include('no-store');
        const status = await user.browser.twoFactorStatus();
        expect(status.body.enabled).to.equal(true);
        expect(status.text).not.to.include(start.body.secret);
        const again = await user.browser.enroll();
        expect(again.status).to.equal(409);
        expect(again.body.error.code).to.equal('TWO_FACTOR_ALREADY_ENABLED');
        expect(again.text).not.to.include(start.body.secret);
      });

      it('S7: a pending enrollment expires after 10 minutes of the site clock', async () => {
        const user = await registerUser(site.url, 'manage-enroll-expiry');
        const start = expectStatus(await user.browser.enroll(), 200, 'enroll');
        site.clock.advance({ minutes: 10, seconds: 1 });
        const late = await user.browser.confirm(codeForStep(start.body.secret, currentStep(site.clock)));
        expect(late.status, late.text).to.be.within(400, 499);
        expect((await user.browser.twoFactorStatus()).body.enabled).to.equal(false);
        const restarted = expectStatus(await user.browser.enroll(), 200, 'enroll again');
        expect(restarted.body.secret, 'an expired setup gives a new secret').not.to.equal(start.body.secret);
      });
    });

    describe('when state-changing routes are called with GET', () => {
      it('S25: nothing changes and a code in the query string is ignored', async () => {
        const user = await enableTwoFactorUser(site.url, 'manage-get', site.clock);
        const before = await site.dump(ALL_BUT_TWO_FACTOR);
        for (const path of [
          '/account/security/two-factor/enroll',
          '/account/security/two-factor/disable?password=' + encodeURIComponent(user.password),
          '/account/security/two-factor/backup-codes?password=' + encodeURIComponent(user.password),
        ]) {
          const res = await user.browser.get(path);
          expect(res.status, path).to.be.oneOf([404, 405]);
        }
        expect(await site.dump(ALL_BUT_TWO_FACTOR)).to.deep.equal(before);
        const browser = await passwordStep(site.url, user);
        const res = await browser.post(`/login/two-factor?code=${codeForStep(user.secret, user.confirmedStep + 1)}`, {
          json: {},
        });
        expect(res.status).to.equal(400);
        expect((await browser.session()).authenticated).to.equal(false);
      });
    });
  });
}
