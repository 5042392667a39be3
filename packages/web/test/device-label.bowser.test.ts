import * as chai from 'chai';
import { deviceLabel } from '../src';

const { expect } = chai;

describe('deviceLabel', () => {
  describe('when given a real browser User-Agent', () => {
    const cases: [string, string][] = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0', 'Firefox on Windows'],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
        'Safari on macOS',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
        'Chrome on Linux',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
        'Safari on iOS',
      ],
    ];
    for (const [userAgent, label] of cases)
      it(`S34: names it "${label}"`, () => {
        expect(deviceLabel(userAgent)).to.equal(label);
      });
  });

  describe('when the User-Agent says nothing usable', () => {
    it('S34: falls back to "Unknown browser"', () => {
      expect(deviceLabel(undefined)).to.equal('Unknown browser');
      expect(deviceLabel('')).to.equal('Unknown browser');
      expect(deviceLabel('curl-ish/0')).to.be.a('string').and.not.equal('');
    });
  });
});
