import * as chai from 'chai';
import { ConfigurationError } from '@secondfactor/core';
import { csrfField, html } from '../src';

const { expect } = chai;

describe('csrfField', () => {
  describe('when given a token', () => {
    it('S25: renders the hidden _csrf field, escaped, for html templates and plain strings', () => {
      const field = csrfField('a"b<c');
      expect(String(field)).to.equal('<input type="hidden" name="_csrf" value="a&quot;b&lt;c">');
      expect(String(html`<form>${field}</form>`)).to.equal(`<form>${field}</form>`);
    });
  });

  describe('when no CSRF middleware ran', () => {
    it('S25: throws rather than render a form that always fails', () => {
      for (const token of [undefined, null, ''])
        expect(() => csrfField(token), String(token)).to.throw(ConfigurationError, /CSRF middleware/);
    });
  });
});
