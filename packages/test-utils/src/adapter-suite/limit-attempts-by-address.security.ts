/**
 * `limitAttemptsByAddress()`: the password throttle's address limit (S32) on a host route, in JSON
 * and HTML, the same on every adapter.
 */
import * as chai from 'chai';
import { MemoryPasswordThrottleStore, PasswordThrottle } from '@secondfactor/core';
import request from 'supertest';
import { FakeClock } from '../fake-clock';
import { BROWSER_ACCEPT } from './client';
import type { CreateHost } from './host';

const { expect } = chai;

/** Registers the address-limit tests for one adapter. */
export function addressLimitTests(createHost: CreateHost): void {
  /** A host whose `POST /register` allows 2 attempts per address per 10 minutes. */
  function registerRoute() {
    const clock = new FakeClock();
    const throttle = new PasswordThrottle(new MemoryPasswordThrottleStore(), {
      policy: { addressLimit: 2 },
      clock: clock.clock,
    });
    const { listener } = createHost({ csrf: false, addressThrottle: throttle });
    const post = (ip: string, accept = 'application/json') =>
      request(listener).post('/register').set('X-Forwarded-For', ip).set('Accept', accept).send({});
    return { post, clock };
  }

  describe('limitAttemptsByAddress', () => {
    describe('when one address passes the limit', () => {
      it('S32: answers JSON 429 TOO_MANY_ATTEMPTS with Retry-After, and the route does not run', async () => {
        const { post, clock } = registerRoute();
        expect((await post('203.0.113.7')).status).to.equal(201);
        expect((await post('203.0.113.7')).status).to.equal(201);
        const refused = await post('203.0.113.7');
        expect(refused.status).to.equal(429);
        expect(refused.headers['retry-after']).to.equal('600');
        expect(refused.headers['cache-control']).to.equal('no-store');
        expect(refused.body.error.code).to.equal('TOO_MANY_ATTEMPTS');
        expect(refused.body.status, 'the route did not run').to.equal(undefined);
        expect((await post('198.51.100.1')).status, 'another address').to.equal(201);
        clock.advance({ minutes: 10 });
        expect((await post('203.0.113.7')).status).to.equal(201);
      });

      it('S32: answers a browser with the error page, status 429 and Retry-After', async () => {
        const { post } = registerRoute();
        await post('203.0.113.7', BROWSER_ACCEPT);
        await post('203.0.113.7', BROWSER_ACCEPT);
        const refused = await post('203.0.113.7', BROWSER_ACCEPT);
        expect(refused.status).to.equal(429);
        expect(refused.headers['retry-after']).to.equal('600');
        expect(refused.headers['content-type']).to.match(/^text\/html/);
        expect(refused.text).to.contain('Too many attempts');
      });
    });
  });
}
