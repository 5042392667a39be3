/** The guard for the host's protected routes: a pending second factor is signed out (S20). */
import * as chai from 'chai';
import { CHALLENGE, Client } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { ADA, BOB } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function guardTests(createHost: CreateHost): void {
  describe('requireSecondFactor', () => {
    let host: Host;
    let ada: Client;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      await host.world.enroll(ADA.id);
    });

    describe('when nobody is signed in', () => {
      it('answers 401 TWO_FACTOR_SIGN_IN_REQUIRED to JSON', async () => {
        const res = await ada.getJson('/clientarea');
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_SIGN_IN_REQUIRED', message: 'Log in to continue.' },
        });
      });

      it('redirects a browser to the login page', async () => {
        const res = await ada.getHtml('/clientarea');
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal('/login');
      });

      it('redirects to redirectTo when the host gives one', async () => {
        const client = new Client(host);
        const res = await client.getHtml('/reports');
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal('/sign-in');
      });
    });

    describe('when only the password step is done', () => {
      beforeEach(async () => {
        await ada.logIn(ADA);
      });

      it('S20: treats the session as signed out: 401 TWO_FACTOR_REQUIRED to JSON', async () => {
        const res = await ada.getJson('/clientarea');
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_REQUIRED', message: 'Enter your two-factor code to finish logging in.' },
        });
      });

      it('S20: redirects a browser to the challenge', async () => {
        const res = await ada.getHtml('/clientarea');
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal(CHALLENGE);
      });

      it('S20: sends a browser to the login page once the pending login expired', async () => {
        host.world.clock.advance({ minutes: 11 });
        const res = await ada.getHtml('/clientarea');
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal('/login');
      });

      it('S20: stays closed even if the host put a user in the session beside the pending state', async () => {
        const bob = new Client(host);
        await bob.logInFully(BOB);
        const { sessionId } = await bob.session();
        host.sessions.get(sessionId!)!.secondFactor = { userId: BOB.id, expiresAt: host.world.clock.nowMs() + 60_000 };
        const res = await bob.getJson('/clientarea');
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_REQUIRED');
      });
    });

    describe('when the user is fully signed in', () => {
      it('lets the request through', async () => {
        await ada.logInFully(ADA);
        const res = await ada.getJson('/clientarea');
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ area: 'client', user: { id: ADA.id, email: ADA.email } });
      });

      it('lets a user without 2FA through after the password alone', async () => {
        const bob = new Client(host);
        await bob.logInFully(BOB);
        expect((await bob.getJson('/clientarea')).status).to.equal(200);
      });
    });
  });
}
