import * as chai from 'chai';
import { escapeHtml, html, raw } from '../src/views/html';
import { renderLayout } from '../src/views/layout';

const { expect } = chai;

describe('html', () => {
  describe('when values are interpolated', () => {
    it('escapes text, keeps SafeHtml, joins arrays and drops null, undefined and false', () => {
      const out =
        html`<p title="${'"quoted"'}">${'<b>'}${raw('<i>ok</i>')}${['a', html`<br>`]}${null}${undefined}${false}</p>`
          .value;
      expect(out).to.equal('<p title="&quot;quoted&quot;">&lt;b&gt;<i>ok</i>a<br></p>');
      expect(escapeHtml(`&<>"'`)).to.equal('&amp;&lt;&gt;&quot;&#39;');
    });
  });
});

describe('renderLayout', () => {
  describe('when a user is signed in', () => {
    it('shows the "Hello, {first name}!" drop-down with Security Settings and a POST Logout carrying the CSRF token', () => {
      const page = renderLayout({
        siteName: 'Acme Billing',
        title: 'Client Area',
        body: html`<h1>Hi</h1>`,
        user: { name: 'Ada <Lovelace>', isSubAccount: false },
        csrfToken: 'tok"en',
      });
      expect(page).to.contain('<summary><span class="user-greeting">Hello, Ada!</span></summary>');
      expect(page).to.contain('href="/account/security">Security Settings</a>');
      expect(page).to.contain('href="/account/users">Manage Users</a>');
      expect(page).to.match(
        /<form method="post" action="\/logout"[^>]*>\s*<input type="hidden" name="_csrf" value="tok&quot;en">/,
      );
      expect(page).to.not.match(/(src|href)="https?:/);
    });
  });

  describe('when the user is a sub-account or signed out', () => {
    it('hides Manage Users from a sub-account and shows Login and Register to a visitor', () => {
      const sub = renderLayout({
        siteName: 'S',
        title: 'T',
        body: '',
        user: { name: 'Grace Hopper', isSubAccount: true },
        csrfToken: 'x',
      });
      expect(sub).to.contain('Hello, Grace!').and.not.contain('Manage Users');
      const visitor = renderLayout({ siteName: 'S', title: 'T', body: '', user: null, csrfToken: undefined });
      expect(visitor).to.contain('href="/login"').and.contain('href="/register"').and.not.contain('Hello,');
    });
  });
});
