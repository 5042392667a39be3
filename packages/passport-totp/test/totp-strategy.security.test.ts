/**
 * The login flow end to end, written once and run against an Express 5 + express-session site
 * and a Koa 3 + koa-session 7 + koa-passport 6 site (test/support).
 */
import * as chai from 'chai';
import { TwoFactorEventType } from '@secondfactor/core';
import { Browser } from './support/browser';
import { createExpressApp } from './support/express-app';
import { createFixture, type Fixture } from './support/fixture';
import { createKoaApp } from './support/koa-app';
import type { AppFactory, AppUnderTest } from './support/app-under-test';

const { expect } = chai;

const FRAMEWORKS: Array<[string, AppFactory]> = [
  ['Express 5 + express-session', createExpressApp],
  ['Koa 3 + koa-session 7 + koa-passport 6', createKoaApp],
];

for (const [frameworkName, createApp] of FRAMEWORKS) {
  describe(`TotpStrategy over ${frameworkName}`, () => {
    let fixture: Fixture;
    let app: AppUnderTest;
    let backupCodes: string[];

    const browser = () => new Browser(app);
    /** A browser that has passed the password step as `username` and now has only the pending state. */
    const pendingBrowser = async (username = 'alice'): Promise<Browser> => {
      const b = browser();
      const res = await b.login(username);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: 'two-factor-required' });
      return b;
    };

    beforeEach(async () => {
      fixture = createFixture();
      app = createApp(fixture);
      ({ backupCodes } = await fixture.enroll('u-alice'));
    });

    describe('when the password step succeeded for a user with 2FA', () => {
      it('S20: leaves only a pending state that reaches no protected route', async () => {
        const b = await pendingBrowser();
        expect(await b.session()).to.include({ user: null, pending: true });
        const json = await b.protected();
        expect(json.status).to.equal(401);
        expect(json.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_REQUIRED' },
        });
        const html = await b.protected('text/html');
        expect(html.status).to.equal(302);
        expect(html.headers.location).to.equal('/login');
      });

      it('S20: a signed-in session that starts a new password login is signed out until the second step', async () => {
        const b = browser();
        expect((await b.login('carol')).body).to.deep.equal({ status: 'authenticated' });
        expect((await b.protected()).status).to.equal(200);
        await b.login('alice');
        expect((await b.protected()).status).to.equal(401);
        expect(await b.session()).to.include({ pending: true });
      });

      it('S23: a valid code signs in with a new session id, and the old id is dead', async () => {
        const b = await pendingBrowser();
        const before = await b.session();
        expect(await app.sessionExists(before.sessionId)).to.equal(true);

        const res = await b.challenge({ code: fixture.codeFor('u-alice') });
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ status: 'authenticated', method: 'totp' });
        expect(res.headers['cache-control']).to.equal('no-store');

        const after = await b.session();
        expect(after).to.deep.include({ user: { id: 'u-alice', username: 'alice' }, pending: false });
        expect(after.sessionId).to.be.a('string').and.not.equal(before.sessionId);
        expect(await app.sessionExists(before.sessionId)).to.equal(false);
        expect((await b.protected()).status).to.equal(200);

        const replayed = b.withCookies(b.passwordStepCookies);
        expect(await replayed.session()).to.include({ user: null, pending: false });
        expect((await replayed.protected()).status).to.equal(401);
      });

      it('S12: parallel submissions of one code give exactly one success', async () => {
        const b = await pendingBrowser();
        const code = fixture.codeFor('u-alice');
        const results = await Promise.all(Array.from({ length: 5 }, () => b.challenge({ code })));
        const statuses = results.map((res) => res.status).sort();
        expect(statuses).to.deep.equal([200, 401, 401, 401, 401]);
        expect(fixture.events.filter((event) => event.type === TwoFactorEventType.CodeVerified)).to.have.length(1);
      });
    });

    describe('when a code is replayed', () => {
      it('S12: a code that signed in once is refused the next time, and the next step works', async () => {
        const code = fixture.codeFor('u-alice');
        const first = await pendingBrowser();
        expect((await first.challenge({ code })).status).to.equal(200);

        const second = await pendingBrowser();
        const replay = await second.challenge({ code });
        expect(replay.status).to.equal(401);
        expect(replay.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        expect(await second.session()).to.include({ user: null, pending: true });
        expect(fixture.events.map((event) => event.type)).to.include(TwoFactorEventType.CodeReplayed);

        fixture.advanceSeconds(30);
        expect((await second.challenge({ code: fixture.codeFor('u-alice') })).status).to.equal(200);
      });
    });

    describe("when another user's code is sent", () => {
      it("S21: bob's valid code never signs alice's pending login in, and a user id in the body is ignored", async () => {
        await fixture.enroll('u-bob');
        const bobCode = fixture.codeFor('u-bob');
        const b = await pendingBrowser('alice');
        const res = await b.challenge({ code: bobCode, userId: 'u-bob', username: 'bob', user: { id: 'u-bob' } });
        expect(res.status).to.equal(401);
        expect(await b.session()).to.include({ user: null, pending: true });
        expect((await b.protected()).status).to.equal(401);

        // Bob's code was checked against Alice's secret only: it still works for Bob.
        const bob = await pendingBrowser('bob');
        expect((await bob.challenge({ code: bobCode })).status).to.equal(200);
        expect((await bob.session()).user).to.deep.equal({ id: 'u-bob', username: 'bob' });
      });

      it('S21: without a password step, a valid code is refused (401) whatever the body names', async () => {
        const b = browser();
        const res = await b.challenge({ code: fixture.codeFor('u-alice'), userId: 'u-alice' });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect(await b.session()).to.include({ user: null, pending: false });
      });
    });

    describe('when the code is in the query string', () => {
      it('S25: it is ignored: the empty body is malformed (400) and neither code is used', async () => {
        const code = fixture.codeFor('u-alice');
        const b = await pendingBrowser();
        for (const query of [`?code=${code}`, `?backupCode=${encodeURIComponent(backupCodes[0])}`]) {
          const res = await b.challenge({}, query);
          expect(res.status).to.equal(400);
          expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
        }
        expect(await b.session()).to.include({ user: null, pending: true });
        expect((await b.challenge({ code })).status).to.equal(200);
        const again = await pendingBrowser();
        expect((await again.challenge({ backupCode: backupCodes[0] })).status).to.equal(200);
      });
    });

    describe('when a backup code is used', () => {
      it('S19: it signs in once and returns a new backup code, with no-store', async () => {
        const b = await pendingBrowser();
        const res = await b.challenge({ backupCode: backupCodes[0] });
        expect(res.status).to.equal(200);
        expect(res.headers['cache-control']).to.equal('no-store');
        expect(res.body).to.include({ status: 'authenticated', method: 'backup_code' });
        const renewed = res.body.backupCodes as string[];
        expect(renewed).to.have.length(1);
        expect(renewed[0]).to.not.equal(backupCodes[0]);
        expect((await b.session()).user).to.deep.equal({ id: 'u-alice', username: 'alice' });

        const again = await pendingBrowser();
        expect((await again.challenge({ backupCode: backupCodes[0] })).status).to.equal(401);
        const withNew = await again.challenge({ backupCode: renewed[0] });
        expect(withNew.status).to.equal(200);
        expect(withNew.body.backupCodes).to.have.length(1);
      });
    });

    describe('when the account is throttled', () => {
      it('S16: answers 429 with Retry-After, refuses even a correct code during backoff, then recovers', async () => {
        const b = await pendingBrowser();
        // The default policy: 3 free failures, the 4th starts a 2 s backoff.
        for (let attempt = 0; attempt < 4; attempt += 1) {
          expect((await b.challenge({ code: fixture.wrongCodeFor('u-alice') })).status).to.equal(401);
        }
        const throttled = await b.challenge({ code: fixture.codeFor('u-alice') });
        expect(throttled.status).to.equal(429);
        expect(throttled.headers['retry-after']).to.equal('2');
        expect(throttled.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        expect(await b.session()).to.include({ user: null, pending: true });

        fixture.advanceSeconds(3);
        expect((await b.challenge({ code: fixture.codeFor('u-alice') })).status).to.equal(200);
      });
    });

    describe('when the pending state expired', () => {
      it('S20: a valid code after 10 minutes is refused (401) and the state is cleared', async () => {
        const b = await pendingBrowser();
        fixture.advanceSeconds(600);
        const res = await b.challenge({ code: fixture.codeFor('u-alice') });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect(await b.session()).to.include({ user: null, pending: false });
        expect((await b.protected()).status).to.equal(401);
      });

      it('S20: a valid code just inside the 10 minutes still signs in', async () => {
        const b = await pendingBrowser();
        fixture.advanceSeconds(599);
        expect((await b.challenge({ code: fixture.codeFor('u-alice') })).status).to.equal(200);
      });
    });

    describe('when the password changed between the steps', () => {
      it('S22: the second step is refused (401), the state is cleared and the code is not burned', async () => {
        const code = fixture.codeFor('u-alice');
        const b = await pendingBrowser();
        fixture.changePassword('u-alice', 'a brand new password');
        const res = await b.challenge({ code });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect(await b.session()).to.include({ user: null, pending: false });

        const fresh = browser();
        expect((await fresh.login('alice', 'a brand new password')).body).to.deep.equal({
          status: 'two-factor-required',
        });
        expect((await fresh.challenge({ code })).status).to.equal(200);
      });
    });

    describe('when the body is malformed', () => {
      const cases: Array<[string, (code: string) => object | string]> = [
        ['an array', (code) => ({ code: [code] })],
        ['a number', (code) => ({ code: Number(code) })],
        ['an object', (code) => ({ code: { value: code } })],
        ['null', () => ({ code: null })],
        ['a repeated form field', (code) => `code=${code}&code=${code}`],
        ['both a code and a backup code', (code) => ({ code, backupCode: backupCodes[0] })],
        ['no code at all', () => ({})],
        ['an oversized string', (code) => ({ code: code.padEnd(10_000, '0') })],
      ];
      for (const [label, body] of cases) {
        it(`S13: ${label} as the code gets 400 and changes nothing`, async () => {
          const b = await pendingBrowser();
          const res = await b.challenge(body(fixture.codeFor('u-alice')));
          expect(res.status).to.equal(400);
          expect(res.body.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
          expect(await b.session()).to.include({ user: null, pending: true });
        });
      }

      it('S13: malformed input never counts as a failure, so it cannot throttle the account', async () => {
        const b = await pendingBrowser();
        for (let attempt = 0; attempt < 12; attempt += 1) {
          expect((await b.challenge({ code: [String(attempt)] })).status).to.equal(400);
        }
        expect((await b.challenge({ code: fixture.codeFor('u-alice') })).status).to.equal(200);
      });
    });

    describe('when the store is down', () => {
      it('answers 503 through error(), leaks no detail, signs nobody in, and recovers', async () => {
        const b = await pendingBrowser();
        fixture.storeDown = true;
        const res = await b.challenge({ code: fixture.codeFor('u-alice') });
        expect(res.status).to.equal(503);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_UNAVAILABLE', message: 'Something went wrong. Try again later.' },
        });
        fixture.storeDown = false;
        expect(await b.session()).to.include({ user: null, pending: true });
        expect((await b.challenge({ code: fixture.codeFor('u-alice') })).status).to.equal(200);
      });
    });
  });
}
