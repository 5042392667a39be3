/**
 * S13: malformed bodies get 400 with a stable code, never a 500, whether the host parsed the body
 * or the routes parsed it themselves (with their size limit).
 */
import * as chai from 'chai';
import { CHALLENGE, Client, MANAGEMENT } from './client';
import type { AdapterHost as Host, AdapterHostOptions as HostOptions, CreateHost } from './host';
import { ADA } from './world';

const { expect } = chai;

interface RawBody {
  name: string;
  type: string;
  body: string;
}

const FIELD_BODIES = (field: string): RawBody[] => [
  { name: 'a JSON array', type: 'application/json', body: JSON.stringify(['123456']) },
  { name: 'an array field', type: 'application/json', body: JSON.stringify({ [field]: ['123456'] }) },
  { name: 'an object field', type: 'application/json', body: JSON.stringify({ [field]: { $gt: '' } }) },
  { name: 'a number field', type: 'application/json', body: JSON.stringify({ [field]: 123456 }) },
  { name: 'a null field', type: 'application/json', body: JSON.stringify({ [field]: null }) },
  { name: 'a huge string field', type: 'application/json', body: JSON.stringify({ [field]: '1'.repeat(12_000) }) },
  {
    name: 'a repeated form field',
    type: 'application/x-www-form-urlencoded',
    body: `${field}[]=123456&${field}[]=654321`,
  },
  { name: 'a nested form field', type: 'application/x-www-form-urlencoded', body: `${field}[a]=123456` },
  { name: 'text/plain', type: 'text/plain', body: `${field}=123456` },
  {
    name: 'multipart',
    type: 'multipart/form-data; boundary=XyZ',
    body: `--XyZ\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n123456\r\n--XyZ--\r\n`,
  },
  { name: 'no body at all', type: 'application/json', body: '' },
];

const UNPARSEABLE: RawBody[] = [
  { name: 'invalid JSON', type: 'application/json', body: '{"code":' },
  { name: 'a JSON string', type: 'application/json', body: '"123456"' },
  { name: 'a code hidden in __proto__', type: 'application/json', body: '{"__proto__":{"code":"123456"}}' },
  { name: 'a body over the size limit', type: 'application/json', body: JSON.stringify({ code: 'x'.repeat(40_000) }) },
  { name: 'a form over the size limit', type: 'application/x-www-form-urlencoded', body: `code=${'1'.repeat(40_000)}` },
];

async function send(client: Client, path: string, raw: RawBody, withToken: boolean) {
  let request = client.agent.post(path).set('Accept', 'application/json').set('Content-Type', raw.type);
  if (withToken) request = request.set('x-csrf-token', await client.csrf());
  return request.send(raw.body);
}

const SETUPS: Array<[string, HostOptions, boolean]> = [
  ['the host parsed the body (koa-csrf mounted)', {}, true],
  [
    'the routes parse the body themselves',
    { hostBodyParser: false, csrf: false, routes: { requireCsrf: false } },
    false,
  ],
];

/** Registers these tests for one adapter's host. */
export function requestBodyTests(createHost: CreateHost): void {
  describe('request bodies', () => {
    for (const [setup, options, withToken] of SETUPS) {
      describe(`when ${setup}`, () => {
        let host: Host;
        let ada: Client;

        beforeEach(async () => {
          host = createHost(options);
          ada = new Client(host);
        });

        it('S13: answers 400 TWO_FACTOR_INVALID_INPUT to every malformed confirm body and stays pending', async () => {
          await ada.logInFully(ADA);
          expect((await ada.postJson(`${MANAGEMENT}/enroll`)).status).to.equal(200);
          for (const raw of FIELD_BODIES('code')) {
            const res = await send(ada, `${MANAGEMENT}/confirm`, raw, withToken);
            expect(res.status, raw.name).to.equal(400);
            expect(res.body.error?.code, `${raw.name}: ${res.text}`).to.equal('TWO_FACTOR_INVALID_INPUT');
          }
          expect(await host.world.service.status(ADA.id)).to.include({ enabled: false, pending: true });
          expect(host.errors).to.deep.equal([]);
        });

        it('S13: answers 400 to every malformed password body and keeps 2FA on', async () => {
          await host.world.enroll(ADA.id);
          await ada.logInFully(ADA);
          for (const route of ['disable', 'backup-codes']) {
            for (const raw of FIELD_BODIES('password')) {
              const res = await send(ada, `${MANAGEMENT}/${route}`, raw, withToken);
              expect(res.status, `${route}: ${raw.name}`).to.equal(400);
              expect(res.body.error?.code, `${raw.name}: ${res.text}`).to.equal('TWO_FACTOR_INVALID_INPUT');
            }
          }
          expect(await host.world.service.status(ADA.id)).to.include({ enabled: true, backupCodesRemaining: 1 });
          expect(host.errors).to.deep.equal([]);
        });

        it('S13: answers 400 to every malformed challenge body and keeps the login pending', async () => {
          await host.world.enroll(ADA.id);
          await ada.logIn(ADA);
          for (const raw of [...FIELD_BODIES('code'), ...FIELD_BODIES('backupCode')]) {
            const res = await send(ada, CHALLENGE, raw, withToken);
            expect(res.status, raw.name).to.equal(400);
            expect(res.body.error?.code, `${raw.name}: ${res.text}`).to.equal('TWO_FACTOR_INVALID_INPUT');
          }
          expect((await ada.session()).pending).to.equal(true);
          expect(host.errors).to.deep.equal([]);
        });
      });
    }

    describe('when the routes parse the body themselves', () => {
      it('S13: answers 400 with the error shape to unparseable and oversized bodies, never 500', async () => {
        const host = createHost({
          hostBodyParser: false,
          csrf: false,
          routes: { requireCsrf: false, bodyLimit: '16kb' },
        });
        const ada = new Client(host);
        await ada.logInFully(ADA);
        await ada.postJson(`${MANAGEMENT}/enroll`);
        for (const raw of UNPARSEABLE) {
          for (const path of [`${MANAGEMENT}/confirm`, CHALLENGE]) {
            const res = await send(ada, path, raw, false);
            expect(res.status, `${path}: ${raw.name}`).to.equal(400);
            expect(res.body, `${path}: ${raw.name}`).to.deep.equal({
              error: { code: 'TWO_FACTOR_INVALID_INPUT', message: 'Check what you entered and try again.' },
            });
          }
        }
        expect(host.errors).to.deep.equal([]);
      });
    });

    describe('when the host parses bodies and one is unparseable', () => {
      it('S13: is refused with 400 by the host parser before the routes run, never 500', async () => {
        const host = createHost();
        const ada = new Client(host);
        await ada.logInFully(ADA);
        for (const raw of UNPARSEABLE.slice(0, 3)) {
          const res = await send(ada, `${MANAGEMENT}/confirm`, raw, true);
          expect(res.status, raw.name).to.equal(400);
        }
      });
    });
  });
}
