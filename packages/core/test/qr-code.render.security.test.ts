import * as chai from 'chai';
import { renderQrDataUrl, renderQrSvg } from '../src';

const { expect } = chai;
const URI =
  'otpauth://totp/Acme%20Billing:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Billing&algorithm=SHA1&digits=6&period=30';

describe('renderQrSvg', function () {
  describe('when given an otpauth URI', function () {
    it('S28: renders a standalone SVG locally, with no external reference', async function () {
      const svg = await renderQrSvg(URI);
      expect(svg.trimStart()).to.match(/^(<\?xml|<svg)/);
      expect(svg).to.include('</svg>');
      expect(svg).to.not.match(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      expect(svg).to.not.match(/<(image|script|use)\b/);
    });

    it('S28: works with the network unreachable (nothing is fetched)', async function () {
      const originalFetch = globalThis.fetch;
      globalThis.fetch = (() => Promise.reject(new Error('network disabled in this test'))) as typeof fetch;
      try {
        expect(await renderQrSvg(URI)).to.include('<svg');
        expect(await renderQrDataUrl(URI)).to.match(/^data:image\/png;base64,/);
      } finally {
        globalThis.fetch = originalFetch;
      }
    });

    it('gives different drawings for different secrets', async function () {
      expect(await renderQrSvg(URI)).to.not.equal(await renderQrSvg(URI.replace('GEZD', 'AAAA')));
    });
  });
});

describe('renderQrDataUrl', function () {
  describe('when given an otpauth URI', function () {
    it('S28: returns a PNG data URL', async function () {
      const url = await renderQrDataUrl(URI);
      expect(url).to.match(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
      const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
      expect(png.subarray(0, 8)).to.deep.equal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    });
  });
});
