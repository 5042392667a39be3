/** The page frame's navigation and user menu, and the pages' accessible forms, without scripts. */
import * as chai from 'chai';
import { registerPage } from '../src/views/auth-pages';
import { emailAddress } from '../src/views/email-address';
import { renderLayout } from '../src/views/layout';

const { expect } = chai;

const signedIn = (name = 'Nora Example') =>
  renderLayout({
    siteName: 'Acme Billing',
    title: 'Client Area',
    body: '<h1>Hi</h1>',
    user: { name, isSubAccount: false },
    csrfToken: 'token',
    active: 'clientarea',
  });

describe('renderLayout', function () {
  describe('when a user is signed in', function () {
    it('offers the sections in a <details> disclosure for narrow screens, besides the wide navigation', function () {
      const page = signedIn();
      const drawer = page.slice(page.indexOf('<details class="nav-drawer">'), page.indexOf('</details>'));
      expect(drawer).to.match(/<summary>.*Menu<\/span><\/summary>/);
      for (const href of ['/clientarea', '/clientarea#services', '/clientarea#invoices'])
        expect(drawer).to.contain(`href="${href}"`);
      expect(page).to.contain('<nav class="main-nav" aria-label="Main">');
    });

    it('makes the user menu a disclosure of plain links, claiming no menu roles it does not implement', function () {
      const page = signedIn();
      expect(page).to.not.match(/role="menu(item)?"/);
      const menu = page.slice(page.indexOf('<details class="user-menu">'));
      expect(menu).to.match(/<summary><span class="user-greeting">Hello, Nora!<\/span><\/summary>/);
      expect(menu).to.match(/<li><a href="\/account\/security">Security Settings<\/a><\/li>/);
      expect(menu).to.match(/<button type="submit">Logout<\/button>/);
    });

    it('marks the current section with aria-current', function () {
      expect(signedIn()).to.contain('aria-current="page">Client Area</a>');
    });
  });
});

describe('emailAddress', function () {
  it('lets an address wrap only before "@" and dots, and escapes it', function () {
    expect(emailAddress('grace@example.com').value).to.equal('<span class="email">grace<wbr>@example<wbr>.com</span>');
    expect(emailAddress('a<b@x.io').value).to.equal('<span class="email">a&lt;b<wbr>@x<wbr>.io</span>');
  });
});

describe('registerPage', function () {
  describe('when fields were refused', function () {
    it('focuses the first refused field and ties each to its message', function () {
      const page = registerPage({
        csrfToken: 't',
        error: 'Check the form.',
        fields: { email: 'That email is taken.', password: 'Too short.' },
      }).value;
      expect(page).to.match(/<input id="email"[^>]* aria-invalid="true" aria-describedby="email-error" autofocus>/);
      expect(page).to.match(/<input id="password"[^>]* aria-invalid="true" aria-describedby="password-error">/);
      expect(page).to.contain('<p class="field-error" id="email-error">That email is taken.</p>');
      expect(page).to.not.match(/<input id="name"[^>]*aria-invalid/);
    });
  });
});
