/**
 * Session binding (S31, docs/security.md#s31): every security change rotates the user's security
 * stamp, so every other session of the user is signed out at its next request, on any instance;
 * the session that made the change carries on.
 */
import * as chai from 'chai';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  registerUser,
  type RegisteredUser,
  type TwoFactorUser,
} from './flows';
import { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** A second browser, fully signed in as the user (with the next step's code when 2FA is on). */
async function secondSession(
  baseUrl: string,
  user: RegisteredUser | TwoFactorUser,
  site: SiteUnderTest,
): Promise<SiteClient> {
  const browser = new SiteClient(baseUrl);
  const login = expectStatus(await browser.login(user.email, user.password), 200, 'second login');
  if (login.body.status === 'two-factor-required') {
    const { secret, confirmedStep } = user as TwoFactorUser;
    const step = Math.max(currentStep(site.clock), confirmedStep) + 1;
    expectStatus(await browser.challenge({ code: codeForStep(secret, step) }), 200, 'second challenge');
  }
  expectStatus(await browser.get('/clientarea'), 200, 'second session signed in');
  return browser;
}

/** The user's other session is signed out, and this one carries on. */
async function expectOnlyThisSession(stays: SiteClient, ended: SiteClient): Promise<void> {
  const refused = await ended.get('/clientarea');
  expect(refused.status, 'the other session').to.equal(401);
  expect(refused.body.error.code).to.equal('TWO_FACTOR_SIGN_IN_REQUIRED');
  expect((await ended.session()).authenticated).to.equal(false);
  expect((await stays.get('/clientarea')).status, 'the session that made the change').to.equal(200);
  expect((await stays.get('/account/security')).status).to.equal(200);
}

/** Registers the session-binding tests against a started site. */
export function sessionBindingTests(site: SiteUnderTest): void {
  describe('session binding', () => {
    describe('when the user turns 2FA on in one session', () => {
      it('S31: the other session is signed out at its next request; this one carries on', async () => {
        const user = await registerUser(site.url, 's31-enable');
        const other = await secondSession(site.url, user, site);
        await enableTwoFactorUserOn(user, site);
        await expectOnlyThisSession(user.browser, other);
      });
    });

    describe('when the user turns 2FA off', () => {
      it('S31: the other session is signed out; this one carries on', async () => {
        const user = await enableTwoFactorUser(site.url, 's31-disable', site.clock);
        const other = await secondSession(site.url, user, site);
        expectStatus(await user.browser.disable(user.password), 200, 'disable');
        await expectOnlyThisSession(user.browser, other);
      });
    });

    describe('when the user asks for new backup codes', () => {
      it('S31: the other session is signed out; this one carries on', async () => {
        const user = await enableTwoFactorUser(site.url, 's31-codes', site.clock);
        const other = await secondSession(site.url, user, site);
        expectStatus(await user.browser.regenerateBackupCodes(user.password), 200, 'new backup codes');
        await expectOnlyThisSession(user.browser, other);
      });
    });

    describe('when support turns 2FA off', () => {
      it('S31: every session of the user is signed out', async () => {
        const user = await enableTwoFactorUser(site.url, 's31-admin', site.clock);
        const other = await secondSession(site.url, user, site);
        const outcome = await site.admin(['2fa:disable', user.email, '--actor', 'support:s31']);
        expect(outcome.exitCode, outcome.message).to.equal(0);
        for (const browser of [user.browser, other]) expect((await browser.get('/clientarea')).status).to.equal(401);
      });
    });

    describe('when the user changes the password', () => {
      it('S31: the other session is signed out, this one carries on, and only the new password signs in', async () => {
        const user = await registerUser(site.url, 's31-password');
        const other = await secondSession(site.url, user, site);
        const changed = await user.browser.post('/account/password', {
          json: { currentPassword: user.password, newPassword: 'a brand new password' },
        });
        expectStatus(changed, 200, 'password change');
        expect(changed.body).to.deep.equal({ status: 'password-changed' });
        await expectOnlyThisSession(user.browser, other);
        expect((await new SiteClient(site.url).login(user.email, user.password)).status).to.equal(401);
        expect((await new SiteClient(site.url).login(user.email, 'a brand new password')).body.status).to.equal(
          'authenticated',
        );
      });

      it('S31: a wrong current password is 401 and ends nothing; a short new one is 400', async () => {
        const user = await registerUser(site.url, 's31-password-wrong');
        const other = await secondSession(site.url, user, site);
        const wrong = await user.browser.post('/account/password', {
          json: { currentPassword: 'not my password', newPassword: 'a brand new password' },
        });
        expect(wrong.status).to.equal(401);
        expect(wrong.body.error.code).to.equal('INVALID_CREDENTIALS');
        const short = await user.browser.post('/account/password', {
          json: { currentPassword: user.password, newPassword: 'short' },
        });
        expect(short.status).to.equal(400);
        expect((await other.get('/clientarea')).status).to.equal(200);
      });
    });

    describe('when the other session is served by a second instance', () => {
      it('S31: it is signed out there at its next request', async () => {
        const twin = await site.twin();
        const user = await registerUser(site.url, 's31-twin');
        const other = await secondSession(twin.url, user, site);
        expectStatus(
          await user.browser.post('/account/password', {
            json: { currentPassword: user.password, newPassword: 'another new password' },
          }),
          200,
          'password change',
        );
        expect((await other.get('/clientarea')).status).to.equal(401);
        expect((await user.browser.get('/clientarea')).status).to.equal(200);
      });
    });
  });
}

/** Turns 2FA on in the user's own (registered) browser. */
async function enableTwoFactorUserOn(user: RegisteredUser, site: SiteUnderTest): Promise<void> {
  const enrolled = expectStatus(await user.browser.enroll(), 200, 'enroll');
  const step = currentStep(site.clock);
  expectStatus(await user.browser.confirm(codeForStep(enrolled.body.secret, step)), 200, 'confirm');
}
