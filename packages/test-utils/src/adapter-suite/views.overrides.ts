/** Views, texts and the layout are the host's to replace, one at a time (i18n, page chrome). */
import * as chai from 'chai';
import { defaultTexts, html } from '@secondfactor/web';
import { CHALLENGE, Client, MANAGEMENT } from './client';
import type { CreateHost } from './host';
import { formWithButton, liveErrors } from './html';
import { ADA } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function viewOverrideTests(createHost: CreateHost): void {
  describe('views and texts', () => {
    describe('when the host overrides one view', () => {
      it('renders the override for that page and the defaults for the others', async () => {
        const host = createHost({
          routes: {
            views: {
              challenge: (model) =>
                String(
                  html`<form method="post" action="${model.paths.challenge}"><p>Custom challenge for ${model.texts.codeLabel}</p></form>`,
                ),
            },
          },
        });
        await host.world.enroll(ADA.id);
        const ada = new Client(host);
        await ada.logIn(ADA);
        const challenge = await ada.getHtml(CHALLENGE);
        expect(challenge.text).to.contain('<p>Custom challenge for Six-digit code</p>');
        expect(challenge.text).to.not.contain('sf-challenge-code');
        await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        const section = await ada.getHtml(MANAGEMENT);
        expect(section.text).to.contain('Two-factor authentication is enabled.');
      });
    });

    describe('when the host replaces texts', () => {
      it('uses the new wording in pages and in JSON error messages, keeping the codes', async () => {
        const host = createHost({
          routes: {
            texts: {
              lang: 'de',
              sectionTitle: 'Zwei-Faktor-Authentifizierung',
              enableButton: 'Hier klicken zum Aktivieren',
              backupCodesRemaining: (count) => `Verbleibende Backup-Codes: ${count}`,
              errors: { TWO_FACTOR_INVALID_PASSWORD: 'Das Passwort ist falsch.' },
            },
          },
        });
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const section = await ada.getHtml(MANAGEMENT);
        expect(section.text).to.contain('<html lang="de">').and.to.contain('Zwei-Faktor-Authentifizierung');
        expect(formWithButton(section.text, 'Hier klicken zum Aktivieren').fields).to.deep.equal({ step: 'intro' });
        expect(section.text).to.not.contain(defaultTexts.enableButton);
        await host.world.enroll(ADA.id);
        expect((await ada.getHtml(MANAGEMENT)).text).to.contain('Verbleibende Backup-Codes: 1');
        const wrong = await ada.postJson(`${MANAGEMENT}/disable`, { password: 'falsch' });
        expect(wrong.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_INVALID_PASSWORD', message: 'Das Passwort ist falsch.' },
        });
        const wrongHtml = await ada.postForm(`${MANAGEMENT}/disable`, { password: 'falsch' });
        expect(liveErrors(wrongHtml.text)).to.equal('Das Passwort ist falsch.');
      });

      it('escapes markup in texts, so a translation cannot inject HTML', async () => {
        const host = createHost({ routes: { texts: { sectionTitle: '<script>alert(1)</script>' } } });
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const section = await ada.getHtml(MANAGEMENT);
        expect(section.text).to.not.contain('<script>');
        expect(section.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      });
    });

    describe('when the host gives a layout', () => {
      it('wraps every page in the host chrome with the page title', async () => {
        const host = createHost({
          routes: {
            layout: (_ctx, page) =>
              `<!doctype html><html><head><title>${page.title} | Acme</title></head><body><nav>Acme</nav>${page.body}</body></html>`,
          },
        });
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const section = await ada.getHtml(MANAGEMENT);
        expect(section.text).to.match(
          /^<!doctype html><html><head><title>Two-Factor Authentication \| Acme<\/title><\/head><body><nav>Acme<\/nav><section class="sf-section"/,
        );
        const intro = await ada.getHtml(`${MANAGEMENT}?step=intro`);
        expect(intro.text).to.contain('<title>Set up two-factor authentication | Acme</title>');
      });
    });
  });
}
