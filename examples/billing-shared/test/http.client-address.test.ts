import * as chai from 'chai';
import { clientAddress } from '../src/http/client-address';
import { userAgentSummary } from '../src/http/user-agent-summary';
import { jsonLogLine } from '../src/services/json-log';

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

describe('jsonLogLine', () => {
  describe('when a site message is logged', () => {
    it('S27: is a JSON object with the time, the request id, the event and its fields', () => {
      const line = jsonLogLine('2fa: code.failed user=7 reason=wrong_code ip=203.0.113.7', new Date(0), 'r-1');
      expect(JSON.parse(line)).to.deep.equal({
        time: '1970-01-01T00:00:00.000Z',
        requestId: 'r-1',
        event: '2fa.code.failed',
        user: '7',
        reason: 'wrong_code',
        ip: '203.0.113.7',
      });
      expect(JSON.parse(jsonLogLine('account: logout path="POST /x y"', new Date(0), undefined))).to.include({
        event: 'account.logout',
        path: 'POST /x y',
      });
      expect(JSON.parse(jsonLogLine('Listening on 3000', new Date(0), undefined))).to.deep.equal({
        time: '1970-01-01T00:00:00.000Z',
        message: 'Listening on 3000',
      });
    });
  });
});
