/**
 * Step-up over HTTP (S35): sensitive actions (adding a user, payment methods) need a verification
 * in this session within `STEP_UP_MAX_AGE_SECONDS` (default 900). A full sign-in counts; beyond
 * the max age JSON clients get 401 `TWO_FACTOR_STEP_UP_REQUIRED` with `stepUpUrl`, and browsers go
 * to "Confirm it's you" and back to a same-origin path. The confirmation follows the login's replay
 * (S12) and throttle (S16) rules; without 2FA the password confirms, throttled (S29).
 */
import * as chai from 'chai';
import { auditEventTypes, credentialOf } from './back-door';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  registerUser,
  uniqueEmail,
  wrongCode,
  type RegisteredUser,
} from './flows';
import type { SiteClient } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

const MAX_AGE_SECONDS = 900;
const STEP_UP = '/account/security/two-factor/step-up';
const stepUpUrlFor = (returnTo: string) => `${STEP_UP}?returnTo=${encodeURIComponent(returnTo)}`;

function newSubAccount() {
  return { name: 'Sam Sub', email: uniqueEmail('step-up-sub'), password: 'sub-account password' };
}

async function subAccountsOf(owner: RegisteredUser): Promise<unknown[]> {
  return expectStatus(await owner.browser.get('/account/users'), 200, 'list users').body.users;
}

function stepUp(browser: SiteClient, body: Record<string, unknown>) {
  return browser.post(STEP_UP, { json: body });
}

/** Registers the step-up tests against a started site. */
export function stepUpTests(site: SiteUnderTest): void {
  const stale = () => site.clock.advance({ seconds: MAX_AGE_SECONDS + 1 });

  describe('step-up for sensitive actions', () => {
    describe('when the sign-in is within the max age', () => {
      it('S35: a full sign-in counts: /session reports stepUpValidUntil and POST /account/users goes through', async () => {
        const owner = await registerUser(site.url, 'step-up-fresh');
        const signedInAt = site.clock.nowMs();
        const session = expectStatus(await owner.browser.get('/session'), 200, 'session').body;
        expect(session.stepUpValidUntil).to.equal(new Date(signedInAt + MAX_AGE_SECONDS * 1000).toISOString());
        site.clock.advance({ seconds: MAX_AGE_SECONDS - 1 });
        expectStatus(await owner.browser.post('/account/users', { json: newSubAccount() }), 201, 'create');
      });
    });

    describe('when the last verification is older than the max age', () => {
      it('S35: answers JSON 401 TWO_FACTOR_STEP_UP_REQUIRED with stepUpUrl, and creates nothing', async () => {
        const owner = await registerUser(site.url, 'step-up-json');
        stale();
        expect((await owner.browser.get('/session')).body.stepUpValidUntil).to.equal(null);
        const res = await owner.browser.post('/account/users', { json: newSubAccount() });
        expect(res.status, res.text).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_STEP_UP_REQUIRED');
        expect(res.body.error.stepUpUrl).to.equal(stepUpUrlFor('/account/users'));
        expect(res.headers.get('cache-control')).to.contain('no-store');
        expect(await subAccountsOf(owner)).to.deep.equal([]);
        const payment = await owner.browser.get('/account/payment-methods');
        expect(payment.status).to.equal(401);
        expect(payment.body.error.stepUpUrl).to.equal(stepUpUrlFor('/account/payment-methods'));
      });

      it('S35: sends a browser to "Confirm it\'s you", which confirms once with a code and returns to the page', async () => {
        const user = await enableTwoFactorUser(site.url, 'step-up-browser', site.clock);
        stale();
        const page = await user.browser.get('/account/payment-methods', { accept: 'text/html' });
        expect(page.status).to.equal(302);
        expect(page.headers.get('location')).to.equal(stepUpUrlFor('/account/payment-methods'));
        const form = await user.browser.get(page.headers.get('location')!, { accept: 'text/html' });
        expect(form.status).to.equal(200);
        expect(form.text).to.match(/Confirm it(&#39;|&#x27;|')s you/);
        expect(form.text).to.contain('name="returnTo" value="/account/payment-methods"');
        const confirmed = await user.browser.post(STEP_UP, {
          form: { code: codeForStep(user.secret, currentStep(site.clock)), returnTo: '/account/payment-methods' },
          accept: 'text/html',
        });
        expect(confirmed.status, confirmed.text.slice(0, 300)).to.equal(303);
        expect(confirmed.headers.get('location')).to.equal('/account/payment-methods');
        expect((await user.browser.get('/account/payment-methods', { accept: 'text/html' })).status).to.equal(200);
        expect(await auditEventTypes(site, user.email)).to.include('step_up.confirmed');
      });

      it('S35: a POSTed form is not replayed: the user lands back on its page and the sub-account is not created', async () => {
        const owner = await registerUser(site.url, 'step-up-no-replay');
        stale();
        const post = await owner.browser.post('/account/users', { form: newSubAccount(), accept: 'text/html' });
        expect(post.status).to.equal(303);
        expect(post.headers.get('location')).to.equal(stepUpUrlFor('/account/users'));
        const confirmed = await owner.browser.post(STEP_UP, {
          form: { password: owner.password, returnTo: '/account/users' },
          accept: 'text/html',
        });
        expect(confirmed.status, confirmed.text.slice(0, 300)).to.equal(303);
        expect(confirmed.headers.get('location')).to.equal('/account/users');
        expect(await subAccountsOf(owner)).to.deep.equal([]);
        expectStatus(await owner.browser.post('/account/users', { json: newSubAccount() }), 201, 'submitted again');
      });
    });

    describe('when the password is changed or every trusted device revoked', () => {
      it('S35: both need a recent verification, and go through after a step-up', async () => {
        const user = await enableTwoFactorUser(site.url, 'step-up-password', site.clock);
        const passwords = { currentPassword: user.password, newPassword: `${user.password}-new` };
        const revokeAll = () => user.browser.post('/account/security/two-factor/devices/revoke-all', { json: {} });
        stale();
        for (const res of [await user.browser.post('/account/password', { json: passwords }), await revokeAll()]) {
          expect(res.status, res.text).to.equal(401);
          expect(res.body.error.code).to.equal('TWO_FACTOR_STEP_UP_REQUIRED');
        }
        site.clock.advance({ seconds: 30 });
        const code = codeForStep(user.secret, currentStep(site.clock));
        expectStatus(await stepUp(user.browser, { code }), 200, 'step-up');
        expectStatus(await revokeAll(), 200, 'revoke all');
        expectStatus(await user.browser.post('/account/password', { json: passwords }), 200, 'password change');
      });
    });

    describe('when returnTo points anywhere but this site', () => {
      it('S35: ignores //evil.test, https://evil.test, /\\evil.test and their encodings, and returns to the client area', async () => {
        const owner = await registerUser(site.url, 'step-up-redirect');
        for (const returnTo of [
          '//evil.test',
          'https://evil.test',
          '/\\evil.test',
          '%2F%2Fevil.test',
          '/%2Fevil.test',
          '/%5Cevil.test',
          '/%255Cevil.test',
          'https%3A%2F%2Fevil.test',
          '\\\\evil.test',
        ]) {
          const page = await owner.browser.get(`${STEP_UP}?returnTo=${encodeURIComponent(returnTo)}`, {
            accept: 'text/html',
          });
          expect(page.status, returnTo).to.equal(200);
          expect(page.text, returnTo).to.not.contain('evil.test');
          const confirmed = await owner.browser.post(STEP_UP, {
            form: { password: owner.password, returnTo },
            accept: 'text/html',
          });
          expect(confirmed.status, returnTo).to.equal(303);
          expect(confirmed.headers.get('location'), returnTo).to.equal('/clientarea');
        }
      });
    });

    describe('when the code that signed the user in is sent again for step-up', () => {
      it('S35 S12: it is refused as a replay, and the next code confirms', async () => {
        const user = await enableTwoFactorUser(site.url, 'step-up-replay', site.clock);
        site.clock.advance({ seconds: 30 });
        const browser = await passwordStep(site.url, user);
        const code = codeForStep(user.secret, currentStep(site.clock));
        expectStatus(await browser.challenge({ code }), 200, 'sign in');
        const replay = await stepUp(browser, { code });
        expect(replay.status, replay.text).to.equal(401);
        expect(replay.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        expect(await auditEventTypes(site, user.email)).to.include('code.replayed');
        site.clock.advance({ seconds: 30 });
        const next = await stepUp(browser, { code: codeForStep(user.secret, currentStep(site.clock)) });
        expect(next.status, next.text).to.equal(200);
        expect(next.body).to.deep.equal({
          status: 'confirmed',
          validUntil: new Date(site.clock.nowMs() + MAX_AGE_SECONDS * 1000).toISOString(),
        });
      });
    });

    describe('when wrong codes are sent at login and at step-up', () => {
      it('S35 S16: both count on one counter, and the backoff refuses even a correct step-up code with 429', async () => {
        const user = await enableTwoFactorUser(site.url, 'step-up-throttle', site.clock);
        site.clock.advance({ seconds: 30 });
        const attacker = await passwordStep(site.url, user);
        for (let i = 0; i < 2; i++)
          expect((await attacker.challenge({ code: wrongCode(user.secret, site.clock) })).status).to.equal(401);
        for (let i = 0; i < 2; i++)
          expect((await stepUp(user.browser, { code: wrongCode(user.secret, site.clock) })).status).to.equal(401);
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(4);
        const correct = await stepUp(user.browser, { code: codeForStep(user.secret, currentStep(site.clock)) });
        expect(correct.status, correct.text).to.equal(429);
        expect(correct.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        expect(Number(correct.headers.get('retry-after'))).to.be.at.least(1);
      });
    });

    describe('when the last backup code confirms a step-up', () => {
      it('S35 S19: it is consumed and a new one is issued once, as at login', async () => {
        const user = await enableTwoFactorUser(site.url, 'step-up-backup', site.clock);
        const res = await stepUp(user.browser, { backupCode: user.backupCodes[0] });
        expect(res.status, res.text).to.equal(200);
        expect(res.body.status).to.equal('confirmed');
        expect(res.body.backupCodes).to.have.length(1);
        expect(res.body.backupCodes[0]).to.not.equal(user.backupCodes[0]);
        expect((await stepUp(user.browser, { backupCode: user.backupCodes[0] })).status).to.equal(401);
        expect(await auditEventTypes(site, user.email)).to.include.members(['backup_code.used', 'step_up.confirmed']);
      });
    });

    describe('when a user without 2FA confirms', () => {
      it('S35 S29: the password confirms; wrong ones are refused and throttled; a code is not asked for', async () => {
        const owner = await registerUser(site.url, 'step-up-password');
        stale();
        const wrong = await stepUp(owner.browser, { password: 'not the password' });
        expect(wrong.status, wrong.text).to.equal(401);
        expect(wrong.body.error.code).to.equal('TWO_FACTOR_INVALID_PASSWORD');
        expect((await stepUp(owner.browser, { code: '123456' })).status).to.equal(400);
        const right = await stepUp(owner.browser, { password: owner.password });
        expect(right.status, right.text).to.equal(200);
        expect(right.body).to.deep.equal({
          status: 'confirmed',
          validUntil: new Date(site.clock.nowMs() + MAX_AGE_SECONDS * 1000).toISOString(),
        });
        expectStatus(await owner.browser.post('/account/users', { json: newSubAccount() }), 201, 'create');
        expect(await auditEventTypes(site, owner.email)).to.include('step_up.confirmed');

        // Three free failures, the fourth starts a backoff: the correct password is then refused, unchecked.
        for (let i = 0; i < 4; i++)
          expect((await stepUp(owner.browser, { password: `guess ${i}` })).status, `guess ${i}`).to.equal(401);
        const throttled = await stepUp(owner.browser, { password: owner.password });
        expect(throttled.status, throttled.text).to.equal(429);
        expect(throttled.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        expect(Number(throttled.headers.get('retry-after'))).to.be.at.least(1);
        const audit = await auditEventTypes(site, owner.email);
        expect(
          audit.filter((type) => type === 'reauth.failed'),
          'wrong passwords',
        ).to.have.length(5);
        expect(audit).to.include('throttled');
      });
    });

    describe('when a user with 2FA sends only the password', () => {
      it('S35: the password does not stand in for the second factor', async () => {
        const user = await enableTwoFactorUser(site.url, 'step-up-2fa-password', site.clock);
        const res = await stepUp(user.browser, { password: user.password });
        expect(res.status, res.text).to.equal(400);
        expect(await auditEventTypes(site, user.email)).to.not.include('step_up.confirmed');
      });
    });

    describe('when the owner adds a payment method after a step-up', () => {
      it('S35: stores the label and the last four digits only, and refuses a card number', async () => {
        const owner = await registerUser(site.url, 'step-up-card');
        const card = await owner.browser.post('/account/payment-methods', {
          json: { label: 'Company Visa', cardNumber: '4242424242424242' },
        });
        expect(card.status, card.text).to.equal(400);
        const added = await owner.browser.post('/account/payment-methods', {
          json: { label: 'Company Visa', lastFour: '4242' },
        });
        expect(added.status, added.text).to.equal(201);
        expect(added.body.paymentMethod).to.include({ label: 'Company Visa', lastFour: '4242' });
        const rows = await site.sql('SELECT * FROM payment_methods WHERE id = ?', [added.body.paymentMethod.id]);
        expect(rows).to.have.length(1);
        expect(Object.keys(rows[0]).sort()).to.deep.equal(['account_id', 'created_at', 'id', 'label', 'last_four']);
        const list = expectStatus(await owner.browser.get('/account/payment-methods'), 200, 'list').body;
        expect(list.paymentMethods.map((method: { lastFour: string }) => method.lastFour)).to.deep.equal(['4242']);
      });
    });
  });
}
