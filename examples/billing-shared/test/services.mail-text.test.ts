import * as chai from 'chai';
import { MAX_MAIL_USER_AGENT_LENGTH, mailSafeUserAgent } from '../src/services/mail-text';

const { expect } = chai;

describe('mailSafeUserAgent', () => {
  describe('when the User-Agent is an ordinary browser string', () => {
    it('keeps it as it is', () => {
      const agent = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
      expect(mailSafeUserAgent(agent)).to.equal(agent);
    });
  });

  describe('when it carries control characters', () => {
    it('removes line breaks, tabs, NUL, DEL and C1 controls, so it cannot forge lines of the mail', () => {
      const agent = 'Firefox\r\nSubject: reset your password\u0000\t\u007f\u0085\u009b';
      expect(mailSafeUserAgent(agent)).to.equal('FirefoxSubject: reset your password');
    });
  });

  describe('when it carries bidirectional controls', () => {
    it('removes every one of them, so the quoted text cannot read backwards', () => {
      const bidi = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
      const isolates = ['\u2066', '\u2067', '\u2068', '\u2069'];
      const agent = `Chrome${[...bidi, ...isolates].join('')}/moc.elgoog`;
      expect(mailSafeUserAgent(agent)).to.equal('Chrome/moc.elgoog');
    });
  });

  describe('when it is longer than the limit', () => {
    it(`cuts it to ${MAX_MAIL_USER_AGENT_LENGTH} characters after the removal`, () => {
      const cut = mailSafeUserAgent(`${'\u202e'.repeat(50)}${'A'.repeat(5000)}`);
      expect(MAX_MAIL_USER_AGENT_LENGTH).to.equal(200);
      expect(cut).to.equal('A'.repeat(200));
    });

    it('never cuts inside a surrogate pair', () => {
      const cut = mailSafeUserAgent('😀'.repeat(300));
      expect(Array.from(cut)).to.have.length(200);
      expect(cut).to.equal('😀'.repeat(200));
    });
  });
});
