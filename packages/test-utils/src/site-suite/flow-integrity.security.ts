/**
 * The two-step login cannot be bent (S20–S23), over HTTP: no second step without a password step,
 * the user only from the pending state, pending state that dies, and a new session id on success.
 */
import * as chai from 'chai';
import { changePassword, userIdByEmail } from './back-door';
import { codeForStep, currentStep, enableTwoFactorUser, expectStatus, passwordStep, registerUser } from './flows';
import { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Registers the flow-integrity tests against a started site. */
export function flowIntegrityTests(site: SiteUnderTest): void {
  describe('login flow integrity over HTTP', () => {
    describe('when the challenge is posted with no pending state', () => {
      it('S20, S21: answers 401 TWO_FACTOR_NO_PENDING_LOGIN and signs nobody in', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-nopending', site.clock);
        const stranger = new SiteClient(site.url);
        const res = await stranger.post('/login/two-factor', {
          json: {
            code: codeForStep(user.secret, user.confirmedStep + 1),
            userId: await userIdByEmail(site, user.email),
          },
        });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect((await stranger.session()).authenticated).to.equal(false);
      });
    });

    describe('when a user id is injected in the body', () => {
      it("S21: checks the code against the pending user only, never the body's", async () => {
        const [attacker, victim] = await Promise.all([
          enableTwoFactorUser(site.url, 'flow-attacker', site.clock),
          enableTwoFactorUser(site.url, 'flow-victim', site.clock),
        ]);
        const attackerId = await userIdByEmail(site, attacker.email);
        // The attacker knows the victim's password, not the victim's secret: they send their own valid code.
        const browser = await passwordStep(site.url, victim);
        const res = await browser.post('/login/two-factor', {
          json: {
            code: codeForStep(attacker.secret, attacker.confirmedStep + 1),
            userId: attackerId,
            user_id: attackerId,
            user: { id: attackerId },
            email: attacker.email,
          },
        });
        expect(res.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
        // And the same body on the attacker's own pending state signs in the attacker, not the victim.
        const own = await passwordStep(site.url, attacker);
        const victimId = await userIdByEmail(site, victim.email);
        const ok = await own.post('/login/two-factor', {
          json: {
            code: codeForStep(attacker.secret, attacker.confirmedStep + 1),
            userId: victimId,
            email: victim.email,
          },
        });
        expect(ok.status, ok.text).to.equal(200);
        expect(JSON.stringify((await own.session()).user))
          .to.include(attacker.email)
          .and.not.include(victim.email);
      });
    });

    describe('when the pending state has expired', () => {
      it('S20: refuses even a correct code with TWO_FACTOR_NO_PENDING_LOGIN and clears the state', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-expired', site.clock);
        const browser = await passwordStep(site.url, user);
        site.clock.advance({ minutes: 10, seconds: 1 });
        const res = await browser.challenge({ code: codeForStep(user.secret, currentStep(site.clock)) });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        const session = await browser.session();
        expect(session.authenticated).to.equal(false);
        expect(session.twoFactorPending).to.equal(false);
        const again = await browser.challenge({ code: codeForStep(user.secret, currentStep(site.clock)) });
        expect(again.body.error.code, 'the state is gone, not merely expired').to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
      });
    });

    describe('when the browser is pending for user A and then signs in as B', () => {
      it("S21: A's code never switches the session to A", async () => {
        const a = await enableTwoFactorUser(site.url, 'flow-a', site.clock);
        const b = await registerUser(site.url, 'flow-b');
        const browser = await passwordStep(site.url, a);
        const login = expectStatus(await browser.login(b.email, b.password), 200, 'login B');
        expect(login.body.status).to.equal('authenticated');
        const res = await browser.challenge({ code: codeForStep(a.secret, a.confirmedStep + 1) });
        expect(res.status).to.be.within(400, 499);
        const session = await browser.session();
        expect(JSON.stringify(session.user)).not.to.include(a.email);
      });

      it("S21: a password step for B replaces A's pending state", async () => {
        const [a, b] = await Promise.all([
          enableTwoFactorUser(site.url, 'flow-a2', site.clock),
          enableTwoFactorUser(site.url, 'flow-b2', site.clock),
        ]);
        const browser = await passwordStep(site.url, a);
        expectStatus(await browser.login(b.email, b.password), 200, 'login B');
        const withA = await browser.challenge({ code: codeForStep(a.secret, a.confirmedStep + 1) });
        expect(withA.status).to.equal(401);
        const withB = await browser.challenge({ code: codeForStep(b.secret, b.confirmedStep + 1) });
        expect(withB.status, withB.text).to.equal(200);
        const session = await browser.session();
        expect(JSON.stringify(session.user)).to.include(b.email).and.not.include(a.email);
      });
    });

    describe('when the password changes between the two steps', () => {
      it('S22: the second step fails, even with a correct code', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-pwchange', site.clock);
        const browser = await passwordStep(site.url, user);
        await changePassword(site, user.email, 'a brand new password 42');
        const res = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(res.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
      });
    });

    describe('when only the pending state exists', () => {
      it('S20: protected routes treat the session as signed out', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-protected', site.clock);
        const browser = await passwordStep(site.url, user);
        const session = await browser.session();
        expect(session).to.include({ authenticated: false, twoFactorPending: true });
        const clientArea = await browser.get('/clientarea');
        expect(clientArea.status).to.equal(401);
        expect(clientArea.body.error.code).to.equal('TWO_FACTOR_REQUIRED');
        expect(clientArea.text).not.to.include(user.email);
        for (const path of ['/account/security', '/account/security/two-factor', '/account/users']) {
          const res = await browser.get(path);
          expect(res.status, path).to.equal(401);
          expect(res.body.error.code, path).to.equal('TWO_FACTOR_REQUIRED');
        }
        for (const res of [
          await browser.enroll(),
          await browser.disable(user.password),
          await browser.regenerateBackupCodes(user.password),
        ]) {
          expect(res.status, 'S8: a fully signed-in session only').to.equal(401);
          expect(res.body.error.code).to.equal('TWO_FACTOR_REQUIRED');
        }
      });
    });

    describe('when the second step succeeds', () => {
      it('S23: the session id changes and the old id is dead', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-fixation', site.clock);
        const browser = await passwordStep(site.url, user);
        const before = new Map(browser.cookies);
        const planted = browser.clone();
        expectStatus(
          await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) }),
          200,
          'challenge',
        );
        const changed = [...browser.cookies].filter(([name, value]) => before.get(name) !== value);
        expect(changed, 'a new session cookie is issued').to.not.be.empty;
        expect((await browser.session()).authenticated).to.equal(true);
        const old = await planted.session();
        expect(old.authenticated).to.equal(false);
        expect(old.twoFactorPending, 'the old id carries nothing').to.equal(false);
        expect((await planted.get('/clientarea')).status).to.equal(401);
      });

      it('S23: the password step also issues a new id, so a planted pre-login cookie never becomes signed in', async () => {
        const user = await enableTwoFactorUser(site.url, 'flow-planted', site.clock);
        const browser = new SiteClient(site.url);
        await browser.session();
        const planted = browser.clone();
        expectStatus(await browser.login(user.email, user.password), 200, 'login');
        expect((await planted.session()).twoFactorPending, 'the planted id is not the pending one').to.equal(false);
        expectStatus(
          await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) }),
          200,
          'challenge',
        );
        const old = await planted.session();
        expect(old.authenticated).to.equal(false);
        expect(old.twoFactorPending).to.equal(false);
      });
    });
  });
}
