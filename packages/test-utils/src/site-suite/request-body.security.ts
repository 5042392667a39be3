/**
 * Regression: a body whose Content-Encoding does not decompress used to answer 500 INTERNAL_ERROR
 * (zlib's error reached the site's error handler without a status). Found twice by the input
 * fuzzing: first plain bytes (Z_DATA_ERROR, Z_BUF_ERROR, brotli), then a zlib header asking for a
 * preset dictionary (Z_NEED_DICT).
 */
import { gzipSync } from 'node:zlib';
import * as chai from 'chai';
import { registerUser } from './flows';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

const POST_ROUTES = [
  '/login',
  '/register',
  '/logout',
  '/login/two-factor',
  '/account/security/two-factor/enroll',
  '/account/security/two-factor/confirm',
  '/account/users',
];

/** Registers the request-body tests against a started site. */
export function requestBodyTests(site: SiteUnderTest): void {
  describe('request bodies with a broken Content-Encoding', () => {
    describe('when gzip, deflate or br bodies do not decompress', () => {
      it('S13: every POST route answers 400 with a stable code, never a 500', async () => {
        const { browser } = await registerUser(site.url, 'body-encoding');
        const logged = site.logLines.length;
        for (const path of POST_ROUTES) {
          for (const encoding of ['gzip', 'deflate', 'br']) {
            for (const contentType of ['application/json', 'application/x-www-form-urlencoded']) {
              // Plain text, and bytes whose zlib header asks for a preset dictionary (Z_NEED_DICT).
              for (const payload of ['{"code":"123456"', 'hb5vV9Nxx']) {
                const res = await browser.post(path, {
                  raw: { contentType, payload },
                  headers: { 'content-encoding': encoding },
                });
                expect(res.status, `${path} ${encoding} ${contentType} ${payload}: ${res.text}`).to.equal(400);
                expect(res.body.error.code).to.be.a('string').and.not.equal('INTERNAL_ERROR');
              }
            }
          }
        }
        expect(site.logLines.slice(logged).join('\n')).not.to.match(/-> 500/);
      });
    });

    describe('when a gzip body is valid', () => {
      it('S13: is still read (the fix refuses only corrupt encodings)', async () => {
        const { browser } = await registerUser(site.url, 'body-encoding-ok');
        const res = await browser.post('/login', {
          raw: {
            contentType: 'application/json',
            payload: gzipSync(JSON.stringify({ email: 'nobody@example.test', password: 'wrong password' })),
          },
          headers: { 'content-encoding': 'gzip' },
        });
        expect(res.status, res.text).to.equal(401);
        expect(res.body.error.code).to.equal('INVALID_CREDENTIALS');
      });
    });
  });
}
