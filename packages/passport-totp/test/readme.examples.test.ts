/**
 * The README's Express and Koa sites are the files in examples/, verbatim; here each one is
 * started and driven through a real login, as a new user copying it would.
 */
import * as chai from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import { generateTotp, base32Decode, type TwoFactorService } from '@secondfactor/core';

const { expect } = chai;

interface ExampleSite {
  server: Server;
  service: TwoFactorService;
}

const EXAMPLES: Array<[string, string]> = [
  ['the Express site', 'express-site.ts'],
  ['the Koa site', 'koa-site.ts'],
];

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README examples', () => {
  for (const [label, file] of EXAMPLES) {
    describe(`when ${label} (examples/${file}) is copied`, () => {
      let site: ExampleSite;

      before(() => {
        const previousPort = process.env.PORT;
        process.env.PORT = '0';
        site = require(join(root, 'examples', file)) as ExampleSite;
        if (previousPort === undefined) delete process.env.PORT;
        else process.env.PORT = previousPort;
      });

      after((done) => {
        site.server.close(done);
      });

      it('is in README.md verbatim', () => {
        const source = readFileSync(join(root, 'examples', file), 'utf8');
        expect(readme).to.include('```ts\n' + source + '```');
      });

      it('S20, S23: signs in with password then a backup code, on a new session, and guards the client area', async () => {
        const start = await site.service.beginEnrollment({ userId: '1', accountName: 'ada@example.com' });
        if (!start.ok) throw start.error;
        const code = generateTotp({ secret: base32Decode(start.secret)!, timeMs: Date.now() });
        const confirmed = await site.service.confirmEnrollment({ userId: '1', code });
        if (!confirmed.ok) throw confirmed.error;

        const browser = request.agent(site.server);
        const password = await browser
          .post('/login')
          .send({ email: 'ada@example.com', password: 'correct horse battery staple' });
        expect(password.body).to.deep.equal({ status: 'two-factor-required' });
        const pendingCookie = String(password.headers['set-cookie']);
        expect((await browser.get('/clientarea').set('Accept', 'application/json')).status).to.equal(401);

        const replayed = await browser.post('/login/two-factor').send({ code });
        expect(replayed.status).to.equal(401);
        expect(replayed.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');

        const signedIn = await browser
          .post('/login/two-factor')
          .type('form')
          .send({ backupCode: confirmed.backupCodes[0] });
        expect(signedIn.status).to.equal(200);
        expect(signedIn.headers['cache-control']).to.equal('no-store');
        expect(signedIn.body.status).to.equal('authenticated');
        expect(signedIn.body.backupCodes).to.have.length(1);
        expect(String(signedIn.headers['set-cookie'])).to.not.equal(pendingCookie);

        const area = await browser.get('/clientarea');
        expect(area.status).to.equal(200);
        expect(area.body).to.deep.equal({ email: 'ada@example.com' });
        expect((await browser.post('/logout')).status).to.equal(200);
        expect((await browser.get('/clientarea').set('Accept', 'text/html')).headers.location).to.equal('/login');
      });

      it('refuses a wrong password without creating a pending state', async () => {
        const browser = request.agent(site.server);
        const res = await browser.post('/login').send({ email: 'ada@example.com', password: 'wrong' });
        expect(res.status).to.equal(401);
        expect((await browser.post('/login/two-factor').send({ code: '123456' })).body.error.code).to.equal(
          'TWO_FACTOR_NO_PENDING_LOGIN',
        );
      });
    });
  }
});
