/**
 * What the default views say and where they send focus, without scripts: the invalid field gets
 * `autofocus`, the backup-code error sits beside its field, an unfinished or expired setup offers
 * one clear way on (S39), and Continue and Cancel lead to Security Settings.
 */
import * as chai from 'chai';
import { defaultTexts, defaultViews, type BaseViewModel, type SectionStatus } from '../src';

const { expect } = chai;

const base: BaseViewModel = {
  texts: defaultTexts,
  csrfToken: 'token-123',
  paths: {
    management: '/account/security/two-factor',
    challenge: '/login/two-factor',
    successRedirect: '/clientarea',
    loginPath: '/login',
    settings: '/account/security',
  },
};
const ctx: unknown = undefined;
const off: SectionStatus = {
  enabled: false,
  pending: false,
  pendingExpired: false,
  eligible: true,
  locked: false,
  backupCodesRemaining: 0,
  enabledAt: null,
  required: false,
  requiredBy: null,
};
const setup = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  secretForDisplay: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>',
  expiresAt: new Date(0),
};

function tag(markup: string, id: string): string {
  return new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(markup)?.[0] ?? '';
}

function buttons(markup: string): string[] {
  return [...markup.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map(([whole]) => whole);
}

describe('default views', () => {
  describe('when the Verification Step shows an error', () => {
    it('marks the code field invalid and gives it the focus', () => {
      const markup = defaultViews.verificationStep({ ...base, error: 'The code is not valid.', expired: false }, ctx);
      expect(tag(markup, 'sf-verify-code')).to.contain('aria-invalid="true"').and.to.contain('autofocus');
      const fresh = defaultViews.verificationStep({ ...base, expired: false }, ctx);
      expect(tag(fresh, 'sf-verify-code')).to.not.contain('autofocus');
    });

    it('S39: offers "Start over with a new key" as a secondary action beside Confirm', () => {
      const markup = defaultViews.verificationStep({ ...base, expired: false }, ctx);
      expect(buttons(markup)).to.deep.equal([
        '<button type="submit">Confirm</button>',
        '<button type="submit" class="sf-secondary">Start over with a new key</button>',
      ]);
      expect(markup).to.contain('<input type="hidden" name="startOver" value="1">');
    });
  });

  describe('when the setup expired', () => {
    it('S39: says so, with "Start again" as the one button, and no code field', () => {
      const markup = defaultViews.verificationStep({ ...base, expired: true }, ctx);
      expect(markup).to.contain(defaultTexts.verifyExpired);
      expect(markup).to.not.contain('name="code"');
      expect(buttons(markup)).to.deep.equal(['<button type="submit">Start again</button>']);
      expect(markup).to.contain('<a href="/account/security">Cancel</a>');
    });
  });

  describe('when a setup is shown again', () => {
    it('S39: says the key did not change; a new setup does not', () => {
      const again = defaultViews.enrollmentSetup({ ...base, ...setup, resumed: true }, ctx);
      expect(again).to.contain(defaultTexts.setupResumed);
      const first = defaultViews.enrollmentSetup({ ...base, ...setup, resumed: false }, ctx);
      expect(first).to.not.contain(defaultTexts.setupResumed);
      expect(buttons(first)[1]).to.contain('class="sf-secondary"').and.to.contain('Start over with a new key');
    });
  });

  describe('when Security Settings show an unfinished setup', () => {
    it('S39: leads on with one primary button and shows the same key again as a secondary one', () => {
      const markup = defaultViews.securitySection({ ...base, status: { ...off, pending: true }, headingLevel: 2 }, ctx);
      expect(buttons(markup)).to.deep.equal([
        '<button type="submit">Enter the verification code</button>',
        '<button type="submit" class="sf-secondary">Show the barcode again</button>',
      ]);
      expect(markup).to.not.contain('startOver');
      expect(markup).to.not.contain(defaultTexts.enableButton);
    });

    it('S39: says that an earlier setup expired, beside "Click here to enable"', () => {
      const markup = defaultViews.securitySection(
        { ...base, status: { ...off, pendingExpired: true }, headingLevel: 2 },
        ctx,
      );
      expect(markup).to.contain(defaultTexts.statusPendingExpired);
      expect(buttons(markup)).to.deep.equal(['<button type="submit">Click here to enable</button>']);
    });
  });

  describe('when a password was refused in Security Settings', () => {
    it('focuses the password field of the form that was sent', () => {
      const markup = defaultViews.securitySection(
        {
          ...base,
          error: 'The password is not correct.',
          status: { ...off, enabled: true, backupCodesRemaining: 1 },
          headingLevel: 2,
          failedAction: 'regenerate',
        },
        ctx,
      );
      expect(tag(markup, 'sf-regenerate-password')).to.contain('autofocus');
      expect(tag(markup, 'sf-disable-password')).to.not.contain('autofocus');
    });
  });

  describe('when a sub-account is refused', () => {
    it('says "not available" once', () => {
      const markup = defaultViews.securitySection(
        { ...base, error: defaultTexts.notEligible, status: { ...off, eligible: false }, headingLevel: 1 },
        ctx,
      );
      expect(markup.split(defaultTexts.notEligible)).to.have.length(2);
    });
  });

  describe('when the challenge refuses a backup code', () => {
    it('shows the error beside the backup-code field, which takes the focus', () => {
      const markup = defaultViews.challenge(
        { ...base, error: 'The code is not valid.', failedField: 'backupCode' },
        ctx,
      );
      const details = markup.slice(markup.indexOf('<details'), markup.indexOf('</details>'));
      expect(details).to.contain('<p>The code is not valid.</p>');
      expect(tag(markup, 'sf-challenge-error')).to.not.equal('');
      expect(markup.slice(0, markup.indexOf('<details'))).to.not.contain('The code is not valid.');
      expect(tag(markup, 'sf-challenge-backup-code'))
        .to.contain('aria-describedby="sf-challenge-backup-error"')
        .and.to.contain('autofocus');
      expect(tag(markup, 'sf-challenge-code')).to.not.contain('autofocus');
    });
  });

  describe('when a setup is finished or dropped', () => {
    it('leads Continue and Cancel to Security Settings', () => {
      const done = defaultViews.enrollmentComplete(
        { ...base, backupCodes: ['A'], continueUrl: '/account/security' },
        ctx,
      );
      expect(done).to.contain('<a href="/account/security">Continue</a>');
      expect(defaultViews.enrollmentIntro(base, ctx)).to.contain('<a href="/account/security">Cancel</a>');
    });
  });

  describe('after a login with the backup code', () => {
    it('states the reset as information, not as a success message', () => {
      const markup = defaultViews.backupCodeReset({ ...base, backupCodes: ['A'], continueUrl: '/' }, ctx);
      expect(markup).to.contain(`<p>${defaultTexts.backupCodeResetNotice}</p>`);
      expect(markup).to.not.contain('role="status"');
    });
  });
});
