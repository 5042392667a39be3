/** The challenge's security requirements: S20, S21, S23, S25 and S27 (request metadata on events). */
import * as chai from 'chai';
import supertest from 'supertest';
import { CHALLENGE, Client } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { liveErrors } from './html';
import { ADA, BOB } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function challengeSecurityTests(createHost: CreateHost): void {
  describe('challenge router security', () => {
    let host: Host;
    let ada: Client;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      await host.world.enroll(ADA.id);
      await host.world.enroll(BOB.id);
    });

    describe('when the second step succeeds', () => {
      it('S23: regenerates the session id and the old id is dead', async () => {
        const login = await ada.logIn(ADA);
        const pendingCookies = login.headers['set-cookie'] as unknown as string[];
        const before = await ada.session();
        expect(before.sessionId).to.be.a('string');
        expect(host.sessions.has(before.sessionId!)).to.equal(true);

        expect((await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) })).status).to.equal(200);
        const after = await ada.session();
        expect(after.sessionId).to.be.a('string').and.not.equal(before.sessionId);
        expect(after.user).to.deep.equal({ id: ADA.id, email: ADA.email });
        expect(host.sessions.has(before.sessionId!), 'the old session is destroyed in the store').to.equal(false);

        const replayed = await supertest(host.listener)
          .get('/session')
          .set('Accept', 'application/json')
          .set('Cookie', pendingCookies.map((cookie) => cookie.split(';')[0]).join('; '));
        expect(replayed.body).to.include({ user: null, pending: false });
        expect(replayed.body.sessionId).to.not.equal(before.sessionId);
      });
    });

    describe('when the request names another user', () => {
      it('S21: takes the user only from the pending state, never from the body', async () => {
        await ada.logIn(ADA);
        const res = await ada.postJson(CHALLENGE, {
          code: host.world.codeFor(BOB.id),
          userId: BOB.id,
          email: BOB.email,
        });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        expect((await ada.session()).user).to.equal(null);
        expect(
          host.world.events.filter((event) => event.type === 'code.failed').map((event) => event.userId),
        ).to.deep.equal([ADA.id]);
      });
    });

    describe('when the challenge answers', () => {
      it('S25: sends Cache-Control: no-store and Pragma: no-cache on GET and POST, success and failure', async () => {
        await ada.logIn(ADA);
        const responses = [
          await ada.getHtml(CHALLENGE),
          await ada.getJson(CHALLENGE),
          await ada.postJson(CHALLENGE, { code: host.world.wrongCodeFor(ADA.id) }),
          await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) }),
        ];
        for (const res of responses) {
          expect(res.headers['cache-control']).to.equal('no-store');
          expect(res.headers.pragma).to.equal('no-cache');
        }
      });

      it('S25: refuses a POST without a valid CSRF token with 403 TWO_FACTOR_CSRF and keeps the login pending', async () => {
        await ada.logIn(ADA);
        const json = await ada.agent
          .post(CHALLENGE)
          .set('Accept', 'application/json')
          .send({ code: host.world.codeFor(ADA.id) });
        expect(json.status).to.equal(403);
        expect(json.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_CSRF', message: 'This form has expired. Reload the page and try again.' },
        });
        const html = await ada.agent
          .post(CHALLENGE)
          .type('form')
          .send({ code: host.world.codeFor(ADA.id), _csrf: 'forged' });
        expect(html.status).to.equal(403);
        expect(liveErrors(html.text)).to.equal('This form has expired. Reload the page and try again.');
        expect(html.text).to.contain(`<a href="${CHALLENGE}">Continue</a>`);
        expect(await ada.session()).to.include({ pending: true, user: null });
      });

      it('S25: never reads the code from the query string', async () => {
        await ada.logIn(ADA);
        const res = await ada.agent
          .post(`${CHALLENGE}?code=${host.world.codeFor(ADA.id)}`)
          .set('Accept', 'application/json')
          .set('x-csrf-token', await ada.csrf())
          .send({});
        expect(res.status).to.equal(400);
        expect((await ada.session()).user).to.equal(null);
      });

      it('S25: is POST-only: GET with a code in the query signs nobody in', async () => {
        await ada.logIn(ADA);
        const res = await ada.getJson(`${CHALLENGE}?code=${host.world.codeFor(ADA.id)}`);
        expect(res.body).to.deep.equal({ status: 'two-factor-required' });
        expect(await ada.session()).to.include({ pending: true, user: null });
      });

      it('S27: passes the client ip and user agent into the service events', async () => {
        await ada.logIn(ADA);
        await ada.agent
          .post(CHALLENGE)
          .set('Accept', 'application/json')
          .set('User-Agent', 'ChallengeBrowser/2.0')
          .set('x-csrf-token', await ada.csrf())
          .send({ code: host.world.codeFor(ADA.id) });
        const verified = host.world.events.find((event) => event.type === 'code.verified');
        expect(verified).to.include({ userId: ADA.id, userAgent: 'ChallengeBrowser/2.0' });
        expect(verified!.ip).to.be.a('string').and.not.be.empty;
        expect(JSON.stringify(host.world.events)).to.not.contain(host.world.secrets.get(ADA.id));
      });
    });
  });
}
