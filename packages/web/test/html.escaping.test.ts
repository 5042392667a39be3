/** The `html` helper the views (and hosts' overrides) are written with. */
import * as chai from 'chai';
import { escapeHtml, html, raw, SafeHtml } from '../src';

const { expect } = chai;

describe('html', () => {
  describe('when values are interpolated', () => {
    it('escapes every character that could open markup or close an attribute', () => {
      const value = `<img src=x onerror="alert('1')">&\``;
      expect(String(html`<p title="${value}">${value}</p>`)).to.equal(
        '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;</p>',
      );
    });

    it('keeps SafeHtml, joins arrays and renders nothing for undefined, null and false', () => {
      const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
      expect(String(html`<ul>${items}</ul>${undefined}${null}${false}${0}`)).to.equal(
        '<ul><li>&lt;a&gt;</li><li>b</li></ul>0',
      );
    });

    it('passes raw markup through unchanged', () => {
      const fragment = raw('<svg></svg>');
      expect(fragment).to.be.instanceOf(SafeHtml);
      expect(String(html`<div>${fragment}</div>`)).to.equal('<div><svg></svg></div>');
    });
  });

  describe('when escapeHtml is called directly', () => {
    it('stringifies and escapes', () => {
      expect(escapeHtml(42)).to.equal('42');
      expect(escapeHtml('"a" & \'b\'')).to.equal('&quot;a&quot; &amp; &#39;b&#39;');
    });
  });
});
