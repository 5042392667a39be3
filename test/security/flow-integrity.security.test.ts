/**
 * The two-step login cannot be bent (S20–S23), over HTTP, on SQLite and on MariaDB: no second
 * step without a password step, the user only from the pending state, pending state that dies,
 * and a new session id on success.
 */
import * as chai from 'chai';
import { changePassword, expirePendingLogin, userIdByEmail } from '../support/site-back-door';
import { SiteClient } from '../support/site-client';
import { BACKENDS, useSharedSite } from '../support/site-fixture';
import {
  codeForStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  registerUser,
} from '../support/two-factor-flows';

const { expect } = chai;

for (const backend of BACKENDS) {
  describe(`Login flow integrity over HTTP (${backend})`, function () {
    this.timeout(90_000);
    const handle = useSharedSite(backend);

    describe('when the challenge is posted with no pending state', () => {
      it('S20, S21: answers 401 TWO_FACTOR_NO_PENDING_LOGIN and signs nobody in', async () => {
        const user = await enableTwoFactorUser(handle.url, 'flow-nopending');
        const stranger = new SiteClient(handle.url);
        const res = await stranger.challenge({
          code: codeForStep(user.secret, user.confirmedStep + 1),
          userId: await userIdByEmail(handle, user.email),
        } as never);
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect((await stranger.session()).authenticated).to.equal(false);
      });
    });

    describe('when a user id is injected in the body', () => {
      it("S21: checks the code against the pending user only, never the body's", async () => {
        const [attacker, victim] = await Promise.all([
          enableTwoFactorUser(handle.url, 'flow-attacker'),
          enableTwoFactorUser(handle.url, 'flow-victim'),
        ]);
        const attackerId = await userIdByEmail(handle, attacker.email);
        // The attacker knows the victim's password, not the victim's secret: they send their own valid code.
        const browser = await passwordStep(handle.url, victim);
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
        const session = await browser.session();
        expect(session.authenticated).to.equal(false);
        // And the same body on the attacker's own pending state signs in the attacker, not the victim.
        const own = await passwordStep(handle.url, attacker);
        const victimId = await userIdByEmail(handle, victim.email);
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
        const user = await enableTwoFactorUser(handle.url, 'flow-expired');
        const browser = await passwordStep(handle.url, user);
        await expirePendingLogin(handle, browser);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const res = await browser.challenge({ code });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        const session = await browser.session();
        expect(session.authenticated).to.equal(false);
        expect(session.twoFactorPending).to.equal(false);
      });
    });

    describe('when the browser is pending for user A and then signs in as B', () => {
      it("S21: A's code never switches the session to A", async () => {
        const a = await enableTwoFactorUser(handle.url, 'flow-a');
        const b = await registerUser(handle.url, 'flow-b');
        const browser = await passwordStep(handle.url, a);
        const login = expectStatus(await browser.login(b.email, b.password), 200, 'login B');
        expect(login.body.status).to.equal('authenticated');
        const res = await browser.challenge({ code: codeForStep(a.secret, a.confirmedStep + 1) });
        expect(res.status).to.be.within(400, 499);
        const session = await browser.session();
        expect(JSON.stringify(session.user)).not.to.include(a.email);
      });

      it("S21: a password step for B replaces A's pending state", async () => {
        const [a, b] = await Promise.all([
          enableTwoFactorUser(handle.url, 'flow-a2'),
          enableTwoFactorUser(handle.url, 'flow-b2'),
        ]);
        const browser = await passwordStep(handle.url, a);
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
        const user = await enableTwoFactorUser(handle.url, 'flow-pwchange');
        const browser = await passwordStep(handle.url, user);
        await changePassword(handle, user.email, 'a brand new password 42');
        const res = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(res.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
      });
    });

    describe('when only the pending state exists', () => {
      it('S20: protected routes treat the session as signed out', async () => {
        const user = await enableTwoFactorUser(handle.url, 'flow-protected');
        const browser = await passwordStep(handle.url, user);
        const session = await browser.session();
        expect(session).to.include({ authenticated: false, twoFactorPending: true });
        const clientArea = await browser.get('/clientarea');
        expect(clientArea.status).to.be.oneOf([302, 303, 401]);
        expect(clientArea.text).not.to.include(user.email);
        expect((await browser.get('/account/security')).status).to.be.oneOf([302, 303, 401]);
        expect((await browser.twoFactorStatus()).status).to.be.oneOf([302, 303, 401]);
        expect((await browser.get('/account/users')).status).to.be.oneOf([302, 303, 401]);
        expect((await browser.enroll()).status, 'S8: enable needs a fully signed-in session').to.be.oneOf([
          302, 303, 401,
        ]);
        expect((await browser.disable(user.password)).status).to.be.oneOf([302, 303, 401]);
        expect((await browser.regenerateBackupCodes(user.password)).status).to.be.oneOf([302, 303, 401]);
      });
    });

    describe('when the second step succeeds', () => {
      it('S23: the session id changes and the old id is dead', async () => {
        const user = await enableTwoFactorUser(handle.url, 'flow-fixation');
        const browser = await passwordStep(handle.url, user);
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
        expect((await planted.get('/clientarea')).status).to.be.oneOf([302, 303, 401]);
      });

      it('S23: the password step also issues a new id, so a planted pre-login cookie never becomes signed in', async () => {
        const user = await enableTwoFactorUser(handle.url, 'flow-planted');
        const browser = new SiteClient(handle.url);
        await browser.session();
        const planted = browser.clone();
        expectStatus(await browser.login(user.email, user.password), 200, 'login');
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
