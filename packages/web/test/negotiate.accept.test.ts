/** One parser of Accept for every adapter (docs/architecture.md#http-contract): HTML to browsers, JSON to API clients. */
import * as chai from 'chai';
import { isJsonContentType, preferredType, wantsJson } from '../src';

const { expect } = chai;

describe('content negotiation', () => {
  describe('when Accept names a preference', () => {
    const cases: Array<[string, 'html' | 'json' | undefined]> = [
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'],
      ['application/json', 'json'],
      ['application/json, text/plain, */*', 'json'],
      ['text/html;q=0.5, application/json', 'json'],
      ['application/*', 'json'],
      ['text/*', 'html'],
      ['*/*', 'html'],
      ['image/png', undefined],
      ['application/json;q=0, text/html;q=0', undefined],
      ['application/json;q=0, */*', 'html'],
      ['garbage', undefined],
    ];
    for (const [accept, expected] of cases) {
      it(`prefers ${String(expected)} for "${accept}"`, () => {
        expect(preferredType(accept)).to.equal(expected);
      });
    }
  });

  describe('when Accept states no preference', () => {
    it('answers JSON to a JSON body and HTML otherwise', () => {
      expect(wantsJson({ accept: '', contentType: 'application/json; charset=utf-8' })).to.equal(true);
      expect(wantsJson({ accept: '*/*', contentType: 'application/problem+json' })).to.equal(true);
      expect(wantsJson({ accept: '*/*', contentType: 'application/x-www-form-urlencoded' })).to.equal(false);
      expect(wantsJson({ accept: '', contentType: '' })).to.equal(false);
    });
  });

  describe('when the content type is read', () => {
    it('recognises JSON and JSON suffixes only', () => {
      expect(isJsonContentType('Application/JSON')).to.equal(true);
      expect(isJsonContentType('application/vnd.api+json')).to.equal(true);
      expect(isJsonContentType('text/json')).to.equal(false);
      expect(isJsonContentType('')).to.equal(false);
    });
  });
});
