/** passwordStep(): beginSecondFactor as the end of a koa-passport login route, in JSON and HTML. */
import * as chai from 'chai';
import { ADA, BOB, BROWSER_ACCEPT, CHALLENGE, Client } from '@secondfactor/test-utils';
import { createHost } from './support/host';

const { expect } = chai;

describe('passwordStep (Koa)', () => {
  describe('when the user has 2FA on', () => {
    it('S20: answers two-factor-required to JSON and leaves only a pending login', async () => {
      const host = createHost();
      await host.world.enroll(ADA.id);
      const ada = new Client(host);
      const res = await ada.postJson('/sign-in', { email: ADA.email, password: ADA.password });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: 'two-factor-required' });
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(await ada.session()).to.include({ user: null, pending: true });
    });

    it('S20: sends a browser to the challenge with a 303', async () => {
      const host = createHost();
      await host.world.enroll(ADA.id);
      const ada = new Client(host);
      const res = await ada.postForm('/sign-in', { email: ADA.email, password: ADA.password });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(CHALLENGE);
    });
  });

  describe('when the user has 2FA off', () => {
    it('signs the user in and sends a browser to successRedirect', async () => {
      const host = createHost();
      const bob = new Client(host);
      const res = await bob.postForm('/sign-in', { email: BOB.email, password: BOB.password });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/clientarea');
      expect((await bob.session()).user).to.deep.equal({ id: BOB.id, email: BOB.email });
    });
  });

  describe('when the two-factor store is down', () => {
    it('fails closed with 503 TWO_FACTOR_UNAVAILABLE, as a page for browsers', async () => {
      const host = createHost();
      const bob = new Client(host);
      await bob.csrf();
      host.world.storeDown = true;
      const res = await bob.postForm('/sign-in', { email: BOB.email, password: BOB.password });
      host.world.storeDown = false;
      expect(res.status).to.equal(503);
      expect(res.text).to.contain('temporarily unavailable');
      expect(await bob.session()).to.include({ user: null, pending: false });
      expect((await bob.agent.get('/clientarea').set('Accept', BROWSER_ACCEPT)).headers.location).to.equal('/login');
    });
  });
});
