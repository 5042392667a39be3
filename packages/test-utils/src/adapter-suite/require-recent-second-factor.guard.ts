/** The step-up guard for sensitive routes (S35), the same on every adapter. */
import * as chai from 'chai';
import { Client, MANAGEMENT } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { ADA } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function stepUpGuardTests(createHost: CreateHost): void {
  describe('requireRecentSecondFactor', () => {
    let host: Host;
    let ada: Client;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      await host.world.enroll(ADA.id);
      await ada.logInFully(ADA);
    });

    describe('when the sign-in is within the max age', () => {
      it('S35: lets the full sign-in through', async () => {
        const res = await ada.getJson('/billing');
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ area: 'billing' });
      });
    });

    describe('when the sign-in is beyond the max age', () => {
      beforeEach(() => {
        host.world.clock.advance({ seconds: 61 });
      });

      it('S35: answers JSON 401 TWO_FACTOR_STEP_UP_REQUIRED with stepUpUrl', async () => {
        const res = await ada.getJson('/billing');
        expect(res.status).to.equal(401);
        expect(res.body.error).to.include({
          code: 'TWO_FACTOR_STEP_UP_REQUIRED',
          stepUpUrl: `${MANAGEMENT}/step-up?returnTo=%2Fbilling`,
        });
      });

      it('S35: sends a browser to "Confirm it\'s you", and back after a code', async () => {
        const res = await ada.getHtml('/billing');
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.equal(`${MANAGEMENT}/step-up?returnTo=%2Fbilling`);
        const page = await ada.getHtml(res.headers.location);
        expect(page.status).to.equal(200);
        expect(page.text).to.contain('name="returnTo" value="/billing"');
        const confirmed = await ada.postForm(`${MANAGEMENT}/step-up`, {
          code: host.world.codeFor(ADA.id),
          returnTo: '//evil.test',
        });
        expect(confirmed.status).to.equal(303);
        expect(confirmed.headers.location).to.equal('/clientarea');
        expect((await ada.getJson('/billing')).status).to.equal(200);
      });
    });
  });
}
