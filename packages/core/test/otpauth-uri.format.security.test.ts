import * as chai from 'chai';
import { base32Decode, buildOtpauthUri, InvalidInputError, TOTP_DEFAULTS } from '../src';

const { expect } = chai;
const SECRET = Buffer.from('12345678901234567890');

function parse(uri: string): { label: string; params: URLSearchParams } {
  const match = /^otpauth:\/\/totp\/([^?]+)\?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an otpauth totp URI: ${uri}`);
  return { label: match[1], params: new URLSearchParams(match[2]) };
}

describe('buildOtpauthUri', function () {
  describe('when the issuer contains a space', function () {
    it('S4: encodes it as %20, never +, in the label and the issuer parameter', function () {
      const uri = buildOtpauthUri({ issuer: 'Acme Billing', accountName: 'ada@example.com', secret: SECRET });
      expect(uri).to.equal(
        'otpauth://totp/Acme%20Billing:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Billing&algorithm=SHA1&digits=6&period=30',
      );
      expect(uri).to.not.include('+');
    });
  });

  describe('when the account name has reserved characters', function () {
    it('S4: percent-encodes @, +, #, space, ? and &', function () {
      const uri = buildOtpauthUri({ issuer: 'Acme', accountName: 'ada+bills #1?&x@example.com', secret: SECRET });
      const { label } = parse(uri);
      expect(label).to.equal('Acme:ada%2Bbills%20%231%3F%26x%40example.com');
      expect(decodeURIComponent(label)).to.equal('Acme:ada+bills #1?&x@example.com');
      expect(uri.split('#')).to.have.length(1);
    });

    it('S4: encodes non-ASCII as UTF-8 percent escapes', function () {
      const { label } = parse(buildOtpauthUri({ issuer: 'Fakturé', accountName: 'zoë@example.com', secret: SECRET }));
      expect(label).to.equal('Faktur%C3%A9:zo%C3%AB%40example.com');
    });
  });

  describe('when the issuer or account contains a colon', function () {
    for (const [label, input] of [
      ['issuer', { issuer: 'Acme:Billing', accountName: 'ada@example.com' }],
      ['account', { issuer: 'Acme', accountName: 'ada:admin@example.com' }],
      ['account (pre-encoded %3A)', { issuer: 'Acme', accountName: 'ada%3Aadmin' }],
      ['issuer (pre-encoded %3a)', { issuer: 'Acme%3aBilling', accountName: 'ada' }],
    ] as const) {
      it(`S4: refuses a colon in the ${label}`, function () {
        expect(() => buildOtpauthUri({ ...input, secret: SECRET })).to.throw(InvalidInputError, /colon/);
      });
    }

    it('S4: refuses an empty issuer or account', function () {
      expect(() => buildOtpauthUri({ issuer: ' ', accountName: 'a', secret: SECRET })).to.throw(InvalidInputError);
      expect(() => buildOtpauthUri({ issuer: 'Acme', accountName: '', secret: SECRET })).to.throw(InvalidInputError);
    });
  });

  describe('when built for any issuer', function () {
    it('S4: the label prefix equals the issuer parameter', function () {
      for (const issuer of ['Acme', 'Acme Billing', 'A&B Hosting', 'Zoë GmbH']) {
        const { label, params } = parse(buildOtpauthUri({ issuer, accountName: 'ada@example.com', secret: SECRET }));
        expect(decodeURIComponent(label.split(':')[0])).to.equal(params.get('issuer'));
        expect(params.get('issuer')).to.equal(issuer);
      }
    });

    it('S4: writes the secret as unpadded upper-case base32 that decodes to the secret', function () {
      for (const length of [16, 20, 21, 32]) {
        const secret = Buffer.alloc(length, 0xa5);
        const { params } = parse(buildOtpauthUri({ issuer: 'Acme', accountName: 'a', secret }));
        const text = params.get('secret') ?? '';
        expect(text).to.match(/^[A-Z2-7]+$/);
        expect(text).to.not.include('=');
        expect(base32Decode(text)).to.deep.equal(secret);
      }
    });

    it('S3: issues SHA1, 6 digits and 30 s only', function () {
      const { params } = parse(buildOtpauthUri({ issuer: 'Acme', accountName: 'a', secret: SECRET }));
      expect([...params.keys()]).to.deep.equal(['secret', 'issuer', 'algorithm', 'digits', 'period']);
      expect([params.get('algorithm'), params.get('digits'), params.get('period')]).to.deep.equal(['SHA1', '6', '30']);
      expect(TOTP_DEFAULTS).to.deep.equal({ periodSeconds: 30, digits: 6, algorithm: 'SHA1' });
    });
  });
});
