/**
 * `createApp({ clock })` reaches every part that reads time: the 2FA service, the strategy, the
 * routers and the password step. A site built in-process with a fake clock moves to the next code
 * window, or past a pending login's expiry, in one tick, without waiting.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import * as chai from 'chai';
import { base32Decode, generateTotp } from '@secondfactor/core';
import { FakeClock } from '@secondfactor/test-utils';
import supertest from 'supertest';
import { createApp, type BillingSite } from '../../examples/billing-site/dist/app';
import { loadConfig } from '../../examples/billing-site/dist/config';
import { makeDataDir } from '../support/site-process';

const { expect } = chai;

describe('billing site built with an injected clock', () => {
  // Years ahead of the real time: a code computed from the real clock would be refused.
  const clock = new FakeClock('2031-06-01T12:00:10Z');
  let site: BillingSite;
  let dataDir: string;

  before(async () => {
    dataDir = makeDataDir('injected-clock');
    const config = loadConfig(
      { DATABASE_URL: `sqlite:${resolve(dataDir, 'billing.sqlite')}`, SEED_DEMO: '0', DATA_DIR: dataDir },
      dataDir,
    );
    site = await createApp({ config, log: () => undefined, clock: clock.clock });
  });

  after(async () => {
    await site?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('S11, S12, S20: enrolls and signs in on the fake clock; a new window is one tick, an expired login one more', async () => {
    const browser = supertest.agent(site.app.callback());
    const token = async () => (await browser.get('/session').set('Accept', 'application/json')).body.csrfToken;
    // The token first: the agent attaches its cookies when a request is created.
    const post = async (path: string, body: object) => {
      const csrf = await token();
      return browser.post(path).set('Accept', 'application/json').set('x-csrf-token', csrf).send(body);
    };
    const email = `clock-${Date.now()}@example.test`;
    const password = 'a long enough password';

    const registered = await post('/register', { name: 'Clock Tester', email, password });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    const { secret } = (await post('/account/security/two-factor/enroll', {})).body;
    const code = () => generateTotp({ secret: base32Decode(secret)!, timeMs: clock.nowMs() });
    expect((await post('/account/security/two-factor/confirm', { code: code() })).body.enabled).to.equal(true);
    await post('/logout', {});

    expect((await post('/login', { email, password })).body).to.deep.equal({ status: 'two-factor-required' });
    expect((await post('/login/two-factor', { code: code() })).status, 'the confirming step is used').to.equal(401);
    clock.advance({ seconds: 30 });
    expect((await post('/login/two-factor', { code: code() })).body).to.deep.equal({ status: 'authenticated' });
    await post('/logout', {});

    expect((await post('/login', { email, password })).body.status).to.equal('two-factor-required');
    expect((await browser.get('/session').set('Accept', 'application/json')).body.twoFactorPending).to.equal(true);
    clock.advance({ minutes: 11 });
    expect((await browser.get('/session').set('Accept', 'application/json')).body.twoFactorPending).to.equal(false);
    clock.advance({ seconds: 30 });
    const expired = await post('/login/two-factor', { code: code() });
    expect(expired.status).to.equal(401);
    expect(expired.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
  });
});
