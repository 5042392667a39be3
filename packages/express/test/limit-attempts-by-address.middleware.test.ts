/** limitAttemptsByAddress(): the password throttle's address limit (S32) on a host route, in JSON and HTML. */
import * as chai from 'chai';
import { MemoryPasswordThrottleStore, PasswordThrottle } from '@secondfactor/core';
import { BROWSER_ACCEPT, FakeClock } from '@secondfactor/test-utils';
import express from 'express';
import request from 'supertest';
import { createHost } from './support/host';

const { expect } = chai;

function registerApp() {
  const clock = new FakeClock();
  const throttle = new PasswordThrottle(new MemoryPasswordThrottleStore(), {
    policy: { addressLimit: 2 },
    clock: clock.clock,
  });
  const { twoFactor } = createHost();
  const app = express();
  app.set('trust proxy', 1);
  let registered = 0;
  app.post('/register', twoFactor.limitAttemptsByAddress(throttle), (_req, res) => {
    registered++;
    res.status(201).json({ status: 'registered' });
  });
  const server = app;
  const post = (ip: string, accept = 'application/json') =>
    request(server).post('/register').set('X-Forwarded-For', ip).set('Accept', accept).send({});
  return { post, clock, registered: () => registered };
}

describe('limitAttemptsByAddress (Express)', () => {
  describe('when one address passes the limit', () => {
    it('S32: answers JSON 429 TOO_MANY_ATTEMPTS with Retry-After, and the route does not run', async () => {
      const { post, clock, registered } = registerApp();
      expect((await post('203.0.113.7')).status).to.equal(201);
      expect((await post('203.0.113.7')).status).to.equal(201);
      const refused = await post('203.0.113.7');
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.equal('600');
      expect(refused.headers['cache-control']).to.equal('no-store');
      expect(refused.body.error.code).to.equal('TOO_MANY_ATTEMPTS');
      expect(registered()).to.equal(2);
      expect((await post('198.51.100.1')).status, 'another address').to.equal(201);
      clock.advance({ minutes: 10 });
      expect((await post('203.0.113.7')).status).to.equal(201);
    });

    it('S32: answers a browser with the error page, status 429 and Retry-After', async () => {
      const { post } = registerApp();
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
