/** HTML for browsers, JSON for API clients: how the routes choose (docs/architecture.md#http-contract). */
import * as chai from 'chai';
import { Client, MANAGEMENT } from './client';
import type { CreateHost } from './host';
import { ADA } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function negotiationTests(createHost: CreateHost): void {
  describe('content negotiation', () => {
    describe('when a client states its preference', () => {
      it('answers JSON to an API client that also accepts anything (axios-style Accept)', async () => {
        const host = createHost();
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const res = await ada.agent.get(MANAGEMENT).set('Accept', 'application/json, text/plain, */*');
        expect(res.type).to.equal('application/json');
        expect(res.body).to.have.property('enabled', false);
      });

      it('answers HTML to a browser', async () => {
        const host = createHost();
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const res = await ada.getHtml(MANAGEMENT);
        expect(res.type).to.equal('text/html');
      });
    });

    describe('when a client states no preference', () => {
      it('answers JSON to a JSON body and HTML otherwise', async () => {
        const host = createHost();
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const token = await ada.csrf();
        const json = await ada.agent
          .post(`${MANAGEMENT}/disable`)
          .set('Accept', '*/*')
          .set('x-csrf-token', token)
          .send({ password: ADA.password });
        expect(json.type).to.equal('application/json');
        expect(json.body.error.code).to.equal('TWO_FACTOR_NOT_ENABLED');
        const form = await ada.agent
          .post(`${MANAGEMENT}/disable`)
          .set('Accept', '*/*')
          .type('form')
          .send({ password: ADA.password, _csrf: token });
        expect(form.type).to.equal('text/html');
        expect(form.status).to.equal(409);
      });
    });
  });
}
