/** The management routes' security requirements: S7, S8, S9 and S25. */
import * as chai from 'chai';
import { Client, MANAGEMENT } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { formWithButton, liveErrors } from './html';
import { ADA, SUB } from './world';

const { expect } = chai;

const STATE_CHANGING = ['enroll', 'confirm', 'disable', 'backup-codes'];

/** Registers these tests for one adapter's host. */
export function managementSecurityTests(createHost: CreateHost): void {
  describe('management router security', () => {
    let host: Host;
    let ada: Client;

    beforeEach(() => {
      host = createHost();
      ada = new Client(host);
    });

    describe('when nobody is signed in', () => {
      it('S8: answers 401 TWO_FACTOR_SIGN_IN_REQUIRED to JSON on every route and creates nothing', async () => {
        expect((await ada.getJson(MANAGEMENT)).body).to.deep.equal({
          error: { code: 'TWO_FACTOR_SIGN_IN_REQUIRED', message: 'Log in to continue.' },
        });
        for (const route of STATE_CHANGING) {
          const res = await ada.postJson(`${MANAGEMENT}/${route}`, { code: '123456', password: ADA.password });
          expect(res.status, route).to.equal(401);
          expect(res.body.error.code, route).to.equal('TWO_FACTOR_SIGN_IN_REQUIRED');
        }
        expect((await host.world.service.status(ADA.id)).pending).to.equal(false);
      });

      it('S8: redirects a browser to the login page', async () => {
        const res = await ada.getHtml(MANAGEMENT);
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal('/login');
        const post = await ada.postForm(`${MANAGEMENT}/enroll`);
        expect(post.status).to.equal(303);
        expect(post.headers.location).to.equal('/login');
      });
    });

    describe('when only the password step is done', () => {
      beforeEach(async () => {
        await host.world.enroll(ADA.id);
        expect((await ada.logIn(ADA)).body).to.deep.equal({ status: 'two-factor-required' });
      });

      it('S8, S20: refuses enrollment changes with 401 TWO_FACTOR_REQUIRED', async () => {
        for (const route of STATE_CHANGING) {
          const res = await ada.postJson(`${MANAGEMENT}/${route}`, { password: ADA.password });
          expect(res.status, route).to.equal(401);
          expect(res.body.error.code, route).to.equal('TWO_FACTOR_REQUIRED');
        }
        expect((await host.world.service.status(ADA.id)).enabled).to.equal(true);
      });

      it('S20: sends a browser to the challenge', async () => {
        const res = await ada.getHtml(MANAGEMENT);
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal('/login/two-factor');
      });
    });

    describe('when a sub-account is signed in', () => {
      let sub: Client;

      beforeEach(async () => {
        sub = new Client(host);
        await sub.logInFully(SUB);
      });

      it('S9: answers 403 TWO_FACTOR_NOT_ELIGIBLE on every state-changing route, whatever the body', async () => {
        for (const route of STATE_CHANGING) {
          for (const body of [
            {},
            { code: '123456' },
            { password: SUB.password },
            { code: ['x'], password: { $ne: 1 } },
          ]) {
            const res = await sub.postJson(`${MANAGEMENT}/${route}`, body);
            expect(res.status, `${route} ${JSON.stringify(body)}`).to.equal(403);
            expect(res.body).to.deep.equal({
              error: {
                code: 'TWO_FACTOR_NOT_ELIGIBLE',
                message: 'Two-factor authentication is not available for sub-accounts.',
              },
            });
          }
        }
        expect(await host.world.service.status(SUB.id)).to.include({ enabled: false, pending: false });
        expect(host.world.events.filter((event) => event.type === 'not_eligible').length).to.be.greaterThan(0);
      });

      it('S9: answers eligible: false from the status route', async () => {
        const res = await sub.getJson(MANAGEMENT);
        expect(res.body).to.deep.equal({
          enabled: false,
          pending: false,
          eligible: false,
          backupCodesRemaining: 0,
          enabledAt: null,
          required: false,
          requiredBy: null,
        });
      });

      it('S9: shows the sub-account message instead of the enable button, and refuses a forged form', async () => {
        const section = await sub.getHtml(MANAGEMENT);
        expect(section.text).to.contain('Two-factor authentication is not available for sub-accounts.');
        expect(section.text).to.not.contain('Click here to enable');
        const intro = await sub.getHtml(`${MANAGEMENT}?step=intro`);
        expect(intro.status).to.equal(302);
        const forged = await sub.postForm(`${MANAGEMENT}/enroll`);
        expect(forged.status).to.equal(403);
        expect(liveErrors(forged.text)).to.equal('Two-factor authentication is not available for sub-accounts.');
      });
    });

    describe('when 2FA is on', () => {
      beforeEach(async () => {
        await host.world.enroll(ADA.id);
        await ada.logInFully(ADA);
      });

      it('S7: never returns the secret or the QR again: POST /enroll is 409 and status carries no secret', async () => {
        const again = await ada.postJson(`${MANAGEMENT}/enroll`);
        expect(again.status).to.equal(409);
        expect(again.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_ALREADY_ENABLED', message: 'Two-factor authentication is already enabled.' },
        });
        const secret = host.world.secrets.get(ADA.id)!;
        const status = await ada.getJson(MANAGEMENT);
        expect(status.body).to.not.have.any.keys('secret', 'otpauthUrl', 'qrSvg');
        for (const page of [
          await ada.getHtml(MANAGEMENT),
          await ada.getHtml(`${MANAGEMENT}?step=verify`),
          await ada.postForm(`${MANAGEMENT}/enroll`),
        ]) {
          expect(page.text).to.not.contain(secret);
          expect(page.text).to.not.contain(secret.slice(0, 4) + ' ' + secret.slice(4, 8));
          expect(page.text).to.not.contain('<svg');
          expect(page.text).to.not.contain('otpauth://');
        }
      });

      it('S8: refuses disable with a wrong password (401), keeps 2FA on and counts the failure', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/disable`, { password: 'wrong-password' });
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_INVALID_PASSWORD', message: 'The password is not correct.' },
        });
        expect((await host.world.service.status(ADA.id)).enabled).to.equal(true);
        const failure = host.world.events.find((event) => event.type === 'reauth.failed');
        expect(failure).to.include({ userId: ADA.id, reason: 'wrong_password', failureCount: 1 });
      });

      it('S8: refuses regenerate with a wrong password (401) and keeps the old backup code', async () => {
        const before = host.world.events.length;
        const res = await ada.postJson(`${MANAGEMENT}/backup-codes`, { password: 'wrong-password' });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_PASSWORD');
        expect(res.body).to.not.have.property('backupCodes');
        expect(host.world.events.slice(before).map((event) => event.type)).to.deep.equal(['reauth.failed']);
      });

      it('S8, S16: throttles repeated wrong passwords with 429 and Retry-After', async () => {
        let res;
        for (let attempt = 0; attempt < 6; attempt += 1) {
          res = await ada.postJson(`${MANAGEMENT}/disable`, { password: `wrong-${attempt}` });
          if (res.status === 429) break;
          expect(res.status).to.equal(401);
        }
        expect(res!.status).to.equal(429);
        expect(res!.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        expect(Number(res!.headers['retry-after'])).to.be.a('number').and.to.be.greaterThan(0);
        const right = await ada.postJson(`${MANAGEMENT}/disable`, { password: ADA.password });
        expect(right.status, 'even the right password waits out the backoff').to.equal(429);
        expect((await host.world.service.status(ADA.id)).enabled).to.equal(true);
      });

      it('S8: refuses disable without a password with 400', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/disable`, {});
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
      });
    });

    describe('when a state change comes without a valid CSRF token', () => {
      beforeEach(async () => {
        await ada.logInFully(ADA);
      });

      it('S25: answers 403 TWO_FACTOR_CSRF to JSON on every POST route and changes nothing', async () => {
        for (const route of STATE_CHANGING) {
          const missing = await ada.agent
            .post(`${MANAGEMENT}/${route}`)
            .set('Accept', 'application/json')
            .send({ password: ADA.password });
          expect(missing.status, route).to.equal(403);
          expect(missing.body).to.deep.equal({
            error: { code: 'TWO_FACTOR_CSRF', message: 'This form has expired. Reload the page and try again.' },
          });
          const wrong = await ada.agent
            .post(`${MANAGEMENT}/${route}`)
            .set('Accept', 'application/json')
            .set('x-csrf-token', 'forged-token')
            .send({});
          expect(wrong.status, route).to.equal(403);
          expect(wrong.body.error.code).to.equal('TWO_FACTOR_CSRF');
        }
        expect((await host.world.service.status(ADA.id)).pending).to.equal(false);
      });

      it('S25: shows a browser the error page with a way back', async () => {
        const res = await ada.agent.post(`${MANAGEMENT}/enroll`).type('form').send({ _csrf: 'forged' });
        expect(res.status).to.equal(403);
        expect(res.type).to.equal('text/html');
        expect(liveErrors(res.text)).to.equal('This form has expired. Reload the page and try again.');
        expect(res.text).to.contain(`<a href="${MANAGEMENT}">Continue</a>`);
      });

      it('S25: carries the token as a hidden _csrf field in every form', async () => {
        await host.world.enroll(ADA.id);
        const page = await ada.getHtml(MANAGEMENT);
        expect(formWithButton(page.text, 'Disable').fields._csrf).to.be.a('string').with.length.greaterThan(10);
        expect(formWithButton(page.text, 'Generate a new backup code').fields._csrf)
          .to.be.a('string')
          .with.length.greaterThan(10);
      });
    });

    describe('when the host forgot CSRF protection', () => {
      it('S25: fails closed with 403 TWO_FACTOR_CSRF', async () => {
        const bare = createHost({ csrf: false });
        const client = new Client(bare);
        await client.logInFully(ADA);
        const res = await client.agent.post(`${MANAGEMENT}/enroll`).set('Accept', 'application/json').send({});
        expect(res.status).to.equal(403);
        expect(res.body.error.code).to.equal('TWO_FACTOR_CSRF');
        expect((await bare.world.service.status(ADA.id)).pending).to.equal(false);
      });

      it('lets the host opt out when it defends against CSRF another way', async () => {
        const optedOut = createHost({ csrf: false, routes: { requireCsrf: false } });
        const client = new Client(optedOut);
        await client.logInFully(ADA);
        const res = await client.agent.post(`${MANAGEMENT}/enroll`).set('Accept', 'application/json').send({});
        expect(res.status).to.equal(200);
      });
    });

    describe('when a state change is attempted with GET', () => {
      it('S25: is not routed and changes nothing', async () => {
        await host.world.enroll(ADA.id);
        await ada.logInFully(ADA);
        for (const route of STATE_CHANGING) {
          const res = await ada.getJson(`${MANAGEMENT}/${route}?password=${ADA.password}&code=123456`);
          expect(res.status, route).to.be.oneOf([404, 405]);
        }
        expect(await host.world.service.status(ADA.id)).to.include({ enabled: true, backupCodesRemaining: 1 });
      });

      it('S25: never reads the code from the query string', async () => {
        await ada.logInFully(ADA);
        const { secret } = (await ada.postJson(`${MANAGEMENT}/enroll`)).body;
        const code = host.world.codeFor(ADA.id, secret);
        const res = await ada.agent
          .post(`${MANAGEMENT}/confirm?code=${code}`)
          .set('Accept', 'application/json')
          .set('x-csrf-token', await ada.csrf())
          .send({});
        expect(res.status).to.equal(400);
        expect((await host.world.service.status(ADA.id)).enabled).to.equal(false);
      });
    });

    describe('when secrets or backup codes are answered', () => {
      it('S25: sends Cache-Control: no-store and Pragma: no-cache on enroll, confirm and backup-codes', async () => {
        await ada.logInFully(ADA);
        const enroll = await ada.postJson(`${MANAGEMENT}/enroll`);
        const confirm = await ada.postJson(`${MANAGEMENT}/confirm`, {
          code: host.world.codeFor(ADA.id, enroll.body.secret),
        });
        host.world.clock.advance({ seconds: 30 });
        const regenerate = await ada.postJson(`${MANAGEMENT}/backup-codes`, { password: ADA.password });
        for (const [name, res] of [
          ['enroll', enroll],
          ['confirm', confirm],
          ['backup-codes', regenerate],
        ] as const) {
          expect(res.status, name).to.equal(200);
          expect(res.headers['cache-control'], name).to.equal('no-store');
          expect(res.headers.pragma, name).to.equal('no-cache');
        }
      });
    });
  });
}
