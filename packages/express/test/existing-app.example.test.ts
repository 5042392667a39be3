/**
 * examples/existing-app.ts, the wiring of docs/integrate-express.md over in-memory stores: type-checked
 * with the tests and run end to end here, so it cannot rot. The README points to the guide.
 */
import * as chai from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, generateTotp, MemoryTwoFactorStore } from '@secondfactor/core';
import { FakeClock } from '@secondfactor/test-utils';
import supertest from 'supertest';
import { createApp, type User, type Users } from '../examples/existing-app';

const { expect } = chai;

const README = join(__dirname, '..', 'README.md');

function inMemoryUsers(): Users {
  const rows: Array<User & { password: string }> = [
    { id: '1', email: 'owner@example.com', password: 'owner-password', isSubAccount: false },
    { id: '2', email: 'clerk@example.com', password: 'clerk-password', isSubAccount: true },
  ];
  const strip = (row?: User & { password: string }): User | null =>
    row ? { id: row.id, email: row.email, isSubAccount: row.isSubAccount } : null;
  return {
    findById: async (id) => strip(rows.find((row) => row.id === id)),
    findByEmail: async (email) => strip(rows.find((row) => row.email === email)),
    checkPassword: async (id, password) => rows.find((row) => row.id === id)?.password === password,
  };
}

describe('examples/existing-app.ts', () => {
  describe('when the README is read', () => {
    it('points to the integration guide instead of another variant', () => {
      const readme = readFileSync(README, 'utf8');
      expect(readme).to.contain('(../../docs/integrate-express.md)');
      expect(readme).to.not.contain('setPendingSecondFactor');
    });
  });

  describe('when the example app runs', () => {
    const clock = new FakeClock('2030-01-01T00:00:10Z');
    const app = createApp({
      users: inMemoryUsers(),
      store: new MemoryTwoFactorStore({ quiet: true }),
      twoFactorKeys: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      sessionSecret: 'example session secret',
      clock: clock.clock,
    });

    async function tokenOf(agent: ReturnType<typeof supertest.agent>): Promise<string> {
      const page = await agent.get('/login');
      const fromForm = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const fromApi = (await agent.get('/session')).body.csrfToken as string;
      expect(fromApi).to.be.a('string').and.equal(fromForm);
      return fromApi;
    }

    it('enables 2FA, then requires the code at the next login (S20, S25)', async () => {
      const browser = supertest.agent(app);
      let token = await tokenOf(browser);
      const json = (path: string, body: object = {}) =>
        browser.post(path).set('Accept', 'application/json').set('x-csrf-token', token).send(body);

      expect((await json('/login', { email: 'owner@example.com', password: 'owner-password' })).body).to.deep.equal({
        status: 'authenticated',
      });
      token = await tokenOf(browser);
      expect((await browser.get('/account/security')).text).to.contain('Click here to enable');

      const { secret } = (await json('/account/security/two-factor/enroll')).body;
      const code = () => generateTotp({ secret: base32Decode(secret)!, timeMs: clock.nowMs() });
      const confirmed = await json('/account/security/two-factor/confirm', { code: code() });
      expect(confirmed.body.enabled).to.equal(true);
      expect(confirmed.body.backupCodes).to.have.length(1);
      clock.advance({ seconds: 30 });

      expect((await browser.post('/logout').type('form').send({ _csrf: token })).status).to.equal(302);
      token = await tokenOf(browser);
      expect((await json('/login', { email: 'owner@example.com', password: 'owner-password' })).body).to.deep.equal({
        status: 'two-factor-required',
      });
      token = await tokenOf(browser);
      const blocked = await browser.get('/clientarea').set('Accept', 'application/json');
      expect(blocked.status).to.equal(401);
      expect(blocked.body.error.code).to.equal('TWO_FACTOR_REQUIRED');
      expect((await browser.get('/clientarea').set('Accept', 'text/html')).headers.location).to.equal(
        '/login/two-factor',
      );

      const forged = await browser.post('/login/two-factor').set('Accept', 'application/json').send({ code: code() });
      expect(forged.status).to.equal(403);
      expect(forged.body.error.code).to.equal('TWO_FACTOR_CSRF');

      const done = await json('/login/two-factor', { code: code() });
      expect(done.body).to.deep.equal({ status: 'authenticated' });
      expect((await browser.get('/clientarea').set('Accept', 'application/json')).body).to.deep.equal({
        invoices: [],
        user: 'owner@example.com',
      });
    });

    it('S9: refuses enrollment to a sub-account', async () => {
      const clerk = supertest.agent(app);
      let token = await tokenOf(clerk);
      await clerk
        .post('/login')
        .set('Accept', 'application/json')
        .set('x-csrf-token', token)
        .send({ email: 'clerk@example.com', password: 'clerk-password' });
      token = await tokenOf(clerk);
      expect((await clerk.get('/account/security')).text).to.contain(
        'Two-factor authentication is not available for sub-accounts.',
      );
      const res = await clerk
        .post('/account/security/two-factor/enroll')
        .set('Accept', 'application/json')
        .set('x-csrf-token', token)
        .send({});
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('TWO_FACTOR_NOT_ELIGIBLE');
    });
  });
});
