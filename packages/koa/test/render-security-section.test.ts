/** The section a host embeds in its own Security Settings page (article steps 2–3). */
import * as chai from 'chai';
import { Client, MANAGEMENT } from './support/client';
import { createHost, type Host } from './support/host';
import { formWithButton } from './support/html';
import { ADA, SUB } from './support/world';

const { expect } = chai;

function hostWithEmbed(): Host {
  const host = createHost();
  host.app.use(async (ctx, next) => {
    if (ctx.path !== '/embed') return next();
    ctx.type = 'html';
    ctx.body = `[${await host.twoFactor.renderSecuritySection(ctx)}]`;
  });
  return host;
}

describe('renderSecuritySection', () => {
  describe('when a primary account without 2FA is signed in', () => {
    it('embeds the Two-Factor Authentication section with "Click here to enable" in the host page', async () => {
      const host = hostWithEmbed();
      const ada = new Client(host);
      await ada.logInFully(ADA);
      const res = await ada.getHtml('/account/security');
      expect(res.text).to.contain('<h1>Security Settings</h1><section class="sf-section"');
      expect(res.text).to.contain('<h2 id="sf-section-title">Two-Factor Authentication</h2>');
      expect(formWithButton(res.text, 'Click here to enable')).to.deep.include({ method: 'get', action: MANAGEMENT });
    });
  });

  describe('when a sub-account is signed in', () => {
    it('S9: says that 2FA is not available for sub-accounts and offers no button', async () => {
      const host = hostWithEmbed();
      const sub = new Client(host);
      await sub.logInFully(SUB);
      const res = await sub.getHtml('/account/security');
      expect(res.text).to.contain('Two-factor authentication is not available for sub-accounts.');
      expect(res.text).to.not.contain('<button');
    });
  });

  describe('when nobody is fully signed in', () => {
    it('renders nothing', async () => {
      const host = hostWithEmbed();
      await host.world.enroll(ADA.id);
      const ada = new Client(host);
      expect((await ada.getHtml('/embed')).text).to.equal('[]');
      await ada.logIn(ADA);
      expect((await ada.getHtml('/embed')).text, 'S20: a pending login is signed out').to.equal('[]');
    });
  });
});
