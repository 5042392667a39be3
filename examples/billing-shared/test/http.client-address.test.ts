import * as chai from 'chai';
import { clientAddress } from '../src/http/client-address';
import { userAgentSummary } from '../src/http/user-agent-summary';

const { expect } = chai;

describe('clientAddress', () => {
  describe('when the framework reports an address', () => {
    it('S38: keeps IP addresses only, so a forged X-Forwarded-For cannot add fields to events', () => {
      expect(clientAddress('203.0.113.7')).to.equal('203.0.113.7');
      expect(clientAddress('::ffff:203.0.113.7')).to.equal('203.0.113.7');
      expect(clientAddress('2001:db8::1')).to.equal('2001:db8::1');
      expect(clientAddress('1.2.3.4 user=admin')).to.equal(undefined);
      expect(clientAddress('')).to.equal(undefined);
      expect(clientAddress(undefined)).to.equal(undefined);
    });
  });
});

describe('userAgentSummary', () => {
  describe('when a session is listed', () => {
    it('S33: names the browser and system, or shows a short printable prefix', () => {
      expect(userAgentSummary('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).to.equal(
        'Firefox on Linux',
      );
      expect(
        userAgentSummary(
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
        ),
      ).to.equal('Edge on Windows');
      expect(userAgentSummary('curl/8.5.0')).to.equal('curl');
      expect(userAgentSummary(null)).to.equal('Unknown browser');
      expect(userAgentSummary('x'.repeat(100))).to.have.length(40);
    });
  });
});
