/** The README's adapter for Node's `http` is examples/node-http.ts, verbatim, and it runs. */
import * as chai from 'chai';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import supertest from 'supertest';
import { createHandler } from '../examples/node-http';

const { expect } = chai;

describe('README example', () => {
  describe('when the README is read', () => {
    it('shows examples/node-http.ts verbatim', () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      const block = /<!-- example: examples\/node-http\.ts -->\n\n?```ts\n([\s\S]*?)```/.exec(readme);
      expect(block, 'the README marks the example block').to.not.equal(null);
      expect(block![1]).to.equal(readFileSync(join(__dirname, '..', 'examples', 'node-http.ts'), 'utf8'));
    });
  });

  describe('when the example adapter serves requests', () => {
    it('answers the management status, refuses a stranger and leaves other paths alone', async () => {
      const service = new TwoFactorService({
        store: new MemoryTwoFactorStore({ quiet: true }),
        keyring: Keyring.parse(`k1:${Buffer.alloc(32, 4).toString('base64')}`),
        issuer: 'Acme Billing',
        verifyPassword: () => false,
      });
      const handle = createHandler({
        service,
        strategy: { verify: async () => ({ ok: false, error: new Error() as never }), loginState: () => 'none' },
        getUserId: (user) => user.id,
        getAccountName: (user) => user.email,
      });
      const server = createServer((req, res) => {
        const user = req.headers['x-user'] ? { id: String(req.headers['x-user']), email: 'a@x.test' } : undefined;
        const native = { req, session: {}, user, body: {}, csrfToken: 't', logIn: async () => undefined };
        handle(native, res).then((handled) => {
          if (!handled) res.writeHead(404).end('not ours');
        });
      });
      const agent = supertest(server);
      const status = await agent
        .get('/account/security/two-factor')
        .set('Accept', 'application/json')
        .set('x-user', '7');
      expect(status.status).to.equal(200);
      expect(status.headers['cache-control']).to.equal('no-store');
      expect(status.body).to.include({ enabled: false, eligible: true });
      const stranger = await agent.get('/account/security/two-factor').set('Accept', 'application/json');
      expect(stranger.status).to.equal(401);
      expect(stranger.body.error.code).to.equal('TWO_FACTOR_SIGN_IN_REQUIRED');
      expect((await agent.get('/elsewhere')).text).to.equal('not ours');
    });
  });
});
