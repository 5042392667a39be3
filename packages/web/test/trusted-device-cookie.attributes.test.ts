import * as chai from 'chai';
import type { WebRequest } from '../src';
import { clearDeviceCookie, readDeviceToken, setDeviceCookie } from '../src/trusted-device-cookie';

const { expect } = chai;

function request(header: string, secure: boolean): { request: WebRequest; sent: string[] } {
  const sent: string[] = [];
  const cookies = { header, secure, append: (value: string) => void sent.push(value) };
  return { request: { cookies } as unknown as WebRequest, sent };
}

describe('the trusted-device cookie', () => {
  describe('when it is set', () => {
    it('S34: is HttpOnly, SameSite=Lax, on the whole site, and expires with the device', () => {
      const { request: req, sent } = request('', false);
      const now = new Date('2031-06-01T12:00:00Z');
      setDeviceCookie(req, 'sf_trusted_device', 'a'.repeat(43), new Date('2031-07-01T12:00:00Z'), now);
      expect(sent).to.deep.equal([
        `sf_trusted_device=${'a'.repeat(43)}; Expires=Tue, 01 Jul 2031 12:00:00 GMT; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`,
      ]);
    });

    it('S34: is Secure when the request came over https', () => {
      const { request: req, sent } = request('', true);
      setDeviceCookie(req, 'sf_trusted_device', 'b'.repeat(43), new Date(1_000_000), new Date(0));
      expect(sent[0]).to.match(/; HttpOnly; SameSite=Lax; Secure$/);
      clearDeviceCookie(req, 'sf_trusted_device');
      expect(sent[1]).to.match(/^sf_trusted_device=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; .*; Secure$/);
    });
  });

  describe('when it is read', () => {
    it('S34: finds the named cookie among others, and nothing without a Cookie header or cookie access', () => {
      expect(readDeviceToken(request('a=1; sf_trusted_device=tok; b=2', false).request, 'sf_trusted_device')).to.equal(
        'tok',
      );
      expect(readDeviceToken(request('xsf_trusted_device=tok', false).request, 'sf_trusted_device')).to.equal(
        undefined,
      );
      expect(readDeviceToken(request('', false).request, 'sf_trusted_device')).to.equal(undefined);
      expect(readDeviceToken({} as WebRequest, 'sf_trusted_device')).to.equal(undefined);
    });
  });
});
