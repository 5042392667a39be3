/** The section a host embeds in its own Security Settings page (article steps 2–3). */
import * as chai from 'chai';
import { Client, MANAGEMENT } from './client';
import type { CreateHost } from './host';
import { formWithButton } from './html';
import { ADA, SUB } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function securitySectionTests(createHost: CreateHost): void {
  describe('renderSecuritySection', () => {
    describe('when a primary account without 2FA is signed in', () => {
      it('embeds the Two-Factor Authentication section with "Click here to enable" in the host page', async () => {
        const host = createHost();
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
        const host = createHost();
        const sub = new Client(host);
        await sub.logInFully(SUB);
        const res = await sub.getHtml('/account/security');
        expect(res.text).to.contain('Two-factor authentication is not available for sub-accounts.');
        expect(res.text).to.not.contain('<button');
      });
    });

    describe('when nobody is fully signed in', () => {
      it('renders nothing', async () => {
        const host = createHost();
        await host.world.enroll(ADA.id);
        const ada = new Client(host);
        expect((await ada.getHtml('/embed')).text).to.equal('[]');
        await ada.logIn(ADA);
        expect((await ada.getHtml('/embed')).text, 'S20: a pending login is signed out').to.equal('[]');
      });
    });
  });
}
