/**
 * Managing 2FA over HTTP (S8, S9, S25), on SQLite and on MariaDB: enable, disable and regenerate
 * need CSRF, a fully signed-in session and (for disable and regenerate) the current password, and
 * sub-accounts are refused on every state-changing route.
 */
import * as chai from 'chai';
import { credentialOf } from '../support/site-back-door';
import { SiteClient } from '../support/site-client';
import { BACKENDS, useSharedSite } from '../support/site-fixture';
import {
  codeForStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  registerUser,
  uniqueEmail,
} from '../support/two-factor-flows';

const { expect } = chai;

/** Excludes every table but the credential and backup-code tables. */
const ALL_BUT_TWO_FACTOR = /^(?!two_factor_(credentials|backup_codes)$)/;

for (const backend of BACKENDS) {
  describe(`2FA management over HTTP (${backend})`, function () {
    this.timeout(90_000);
    const handle = useSharedSite(backend);

    describe('when the CSRF token is missing', () => {
      it('S25: enroll, confirm, disable and regenerate answer 403 and change nothing', async () => {
        const user = await enableTwoFactorUser(handle.url, 'manage-csrf');
        const fresh = await registerUser(handle.url, 'manage-csrf-new');
        const before = await handle.dump(/sessions|audit|outbox/i);
        for (const res of [
          await fresh.browser.enroll({ csrf: false }),
          await user.browser.confirm(codeForStep(user.secret, user.confirmedStep + 1), { csrf: false }),
          await user.browser.disable(user.password, { csrf: false }),
          await user.browser.regenerateBackupCodes(user.password, { csrf: false }),
          await user.browser.disable(user.password, { headers: { 'x-csrf-token': 'forged-token' } }),
        ]) {
          expect(res.status, res.text).to.equal(403);
          expect(res.body.error.code).to.be.a('string');
        }
        expect(await handle.dump(/sessions|audit|outbox/i)).to.deep.equal(before);
        expect((await fresh.browser.twoFactorStatus()).body.pending).to.equal(false);
      });
    });

    describe('when the password is missing or wrong', () => {
      it('S8: disable and regenerate are refused and 2FA stays on with the same backup code', async () => {
        const user = await enableTwoFactorUser(handle.url, 'manage-reauth');
        const before = await handle.dump(/sessions|audit|outbox/i);
        const missing = [await user.browser.disable(undefined), await user.browser.regenerateBackupCodes(undefined)];
        for (const res of missing) {
          expect(res.status, res.text).to.equal(400);
          expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
        }
        expect(await handle.dump(/sessions|audit|outbox/i), 'a missing password changes nothing').to.deep.equal(before);
        for (const res of [
          await user.browser.disable('not the password'),
          await user.browser.regenerateBackupCodes('not the password'),
        ]) {
          expect(res.status, res.text).to.equal(401);
          expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_PASSWORD');
        }
        const status = await user.browser.twoFactorStatus();
        expect(status.body).to.include({ enabled: true, backupCodesRemaining: user.backupCodes.length });
        const login = await (await passwordStep(handle.url, user)).challenge({ backupCode: user.backupCodes[0] });
        expect(login.status, 'the old backup code still works').to.equal(200);
      });
    });

    describe('when the account is a sub-account', () => {
      it('S9: status says not eligible and every state-changing route answers 403 TWO_FACTOR_NOT_ELIGIBLE', async () => {
        const owner = await registerUser(handle.url, 'manage-owner');
        const sub = { name: 'Sub Account', email: uniqueEmail('manage-sub'), password: 'sub-account-password-1' };
        const created = await owner.browser.post('/account/users', { json: sub });
        expect(created.status, created.text).to.be.oneOf([200, 201, 302, 303]);
        const browser = new SiteClient(handle.url);
        const login = expectStatus(await browser.login(sub.email, sub.password), 200, 'sub login');
        expect(login.body.status).to.equal('authenticated');
        expect((await browser.twoFactorStatus()).body).to.include({ enabled: false, eligible: false });
        const before = await handle.dump(/sessions|audit|outbox/i);
        for (const res of [
          await browser.enroll(),
          await browser.confirm('123456'),
          await browser.disable(sub.password),
          await browser.regenerateBackupCodes(sub.password),
        ]) {
          expect(res.status, res.text).to.equal(403);
          expect(res.body.error.code).to.equal('TWO_FACTOR_NOT_ELIGIBLE');
        }
        expect(await handle.dump(/sessions|audit|outbox/i)).to.deep.equal(before);
        expect((await browser.get('/account/users')).status, 'sub-accounts cannot manage users').to.equal(403);
      });
    });

    describe('when 2FA is disabled twice', () => {
      it('S8: the first succeeds with the password, the second answers 409 TWO_FACTOR_NOT_ENABLED', async () => {
        const user = await enableTwoFactorUser(handle.url, 'manage-twice');
        const first = await user.browser.disable(user.password);
        expect(first.status, first.text).to.equal(200);
        expect(first.body).to.deep.include({ enabled: false });
        const second = await user.browser.disable(user.password);
        expect(second.status).to.equal(409);
        expect(second.body.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
        expect(await credentialOf(handle, user.email)).to.equal(null);
        const login = expectStatus(await new SiteClient(handle.url).login(user.email, user.password), 200, 'login');
        expect(login.body.status).to.equal('authenticated');
      });
    });

    describe('when backup codes are regenerated', () => {
      it('S8, S19: the old code dies and the new one works once', async () => {
        const user = await enableTwoFactorUser(handle.url, 'manage-regen');
        const res = await user.browser.regenerateBackupCodes(user.password);
        expect(res.status, res.text).to.equal(200);
        expect(res.headers.get('cache-control')).to.include('no-store');
        const fresh: string[] = res.body.backupCodes;
        expect(fresh).to.be.an('array').with.length(user.backupCodes.length);
        expect(fresh).not.to.include(user.backupCodes[0]);
        const old = await (await passwordStep(handle.url, user)).challenge({ backupCode: user.backupCodes[0] });
        expect(old.status).to.equal(401);
        const ok = await (
          await passwordStep(handle.url, user)
        ).challenge({ backupCode: fresh[0].toLowerCase().replace(/-/g, ' ') });
        expect(ok.status, ok.text).to.equal(200);
      });
    });

    describe('when enrollment runs in a signed-in session', () => {
      it('S7, S25: answers no-store, stays pending until confirmed, and never shows the secret again', async () => {
        const user = await registerUser(handle.url, 'manage-enroll');
        const start = await user.browser.enroll();
        expect(start.status, start.text).to.equal(200);
        expect(start.headers.get('cache-control')).to.include('no-store');
        expect(start.body.otpauthUrl).to.match(/^otpauth:\/\/totp\//);
        expect((await user.browser.twoFactorStatus()).body).to.include({ enabled: false, pending: true });
        const confirmed = await user.browser.confirm(codeForStep(start.body.secret, Math.floor(Date.now() / 30000)));
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
    });

    describe('when state-changing routes are called with GET', () => {
      it('S25: nothing changes and a code in the query string is ignored', async () => {
        const user = await enableTwoFactorUser(handle.url, 'manage-get');
        const before = await handle.dump(ALL_BUT_TWO_FACTOR);
        for (const path of [
          '/account/security/two-factor/enroll',
          '/account/security/two-factor/disable?password=' + encodeURIComponent(user.password),
          '/account/security/two-factor/backup-codes?password=' + encodeURIComponent(user.password),
        ]) {
          const res = await user.browser.get(path);
          expect(res.status, path).to.be.oneOf([404, 405]);
        }
        expect(await handle.dump(ALL_BUT_TWO_FACTOR)).to.deep.equal(before);
        const browser = await passwordStep(handle.url, user);
        const res = await browser.post(`/login/two-factor?code=${codeForStep(user.secret, user.confirmedStep + 1)}`, {
          json: {},
        });
        expect(res.status).to.equal(400);
        expect((await browser.session()).authenticated).to.equal(false);
      });
    });
  });
}
