/**
 * The host's password step through the adapter's `beginSecondFactor` (S20, S23, S24): every host's
 * `POST /login` calls it after passport-local accepted the password.
 */
import * as chai from 'chai';
import { BROWSER_ACCEPT, CHALLENGE, Client } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { ADA, BOB } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function passwordStepTests(createHost: CreateHost): void {
  describe('beginSecondFactor (the password step)', () => {
    let host: Host;
    let ada: Client;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      await host.world.enroll(ADA.id);
    });

    describe('when the user has 2FA on', () => {
      it('S20, S23: leaves only a pending login on a new session id, and the old id is dead', async () => {
        await ada.csrf();
        const before = await ada.session();
        expect(host.sessions.has(before.sessionId!)).to.equal(true);
        expect((await ada.logIn(ADA)).body).to.deep.equal({ status: 'two-factor-required' });
        const after = await ada.session();
        expect(after).to.include({ user: null, pending: true });
        expect(after.sessionId).to.be.a('string').and.not.equal(before.sessionId);
        expect(host.sessions.has(before.sessionId!), 'the old session is gone from the store').to.equal(false);
        const guarded = await ada.getJson('/clientarea');
        expect(guarded.status).to.equal(401);
        expect(guarded.body.error.code).to.equal('TWO_FACTOR_REQUIRED');
      });

      it('S20: sends a browser to the challenge', async () => {
        const res = await ada.postForm('/login', { email: ADA.email, password: ADA.password });
        expect(res.status).to.be.oneOf([302, 303]);
        expect(res.headers.location).to.equal(CHALLENGE);
        expect(await ada.session()).to.include({ user: null, pending: true });
      });

      it('S20: drops an earlier sign-in of another user in the same browser', async () => {
        await ada.logInFully(BOB);
        expect((await ada.session()).user).to.deep.equal({ id: BOB.id, email: BOB.email });
        expect((await ada.logIn(ADA)).body).to.deep.equal({ status: 'two-factor-required' });
        expect(await ada.session()).to.include({ user: null, pending: true });
        const stored = [...host.sessions.values()].filter((data) => data.passport !== undefined);
        expect(stored, 'no stored session still names BOB').to.deep.equal([]);
        expect((await ada.getJson('/clientarea')).status).to.equal(401);
      });

      it('S24: the pending login then completes at the challenge', async () => {
        await ada.logIn(ADA);
        expect((await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) })).body).to.deep.equal({
          status: 'authenticated',
        });
        expect((await ada.getJson('/clientarea')).body).to.deep.include({ area: 'client' });
      });
    });

    describe('when the user has 2FA off', () => {
      it('S23: signs the user in on a new session id, with no pending login', async () => {
        const bob = new Client(host);
        await bob.csrf();
        const before = await bob.session();
        expect((await bob.logIn(BOB)).body).to.deep.equal({ status: 'authenticated' });
        const after = await bob.session();
        expect(after).to.deep.include({ user: { id: BOB.id, email: BOB.email }, pending: false });
        expect(after.sessionId).to.not.equal(before.sessionId);
        expect((await bob.getJson('/clientarea')).status).to.equal(200);
      });

      it('sends a browser to successRedirect', async () => {
        const bob = new Client(host);
        const res = await bob.postForm('/login', { email: BOB.email, password: BOB.password });
        expect(res.status).to.be.oneOf([302, 303]);
        expect(res.headers.location).to.equal('/clientarea');
      });
    });

    describe('when the two-factor store is down', () => {
      it('fails closed: an error answer, nobody signed in and no pending login', async () => {
        const bob = new Client(host);
        await bob.csrf();
        host.world.storeDown = true;
        const res = await bob.postJson('/login', { email: BOB.email, password: BOB.password });
        host.world.storeDown = false;
        expect(res.status).to.equal(503);
        expect(await bob.session()).to.include({ user: null, pending: false });
        const page = await bob.agent.get('/clientarea').set('Accept', BROWSER_ACCEPT);
        expect(page.status).to.equal(302);
        expect(page.headers.location).to.equal('/login');
      });
    });
  });
}
