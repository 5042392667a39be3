/** Every default view: labelled inputs, a live error region, code inputs fit for one-time codes. */
import * as chai from 'chai';
import { defaultTexts, defaultViews, type BaseViewModel } from '../src';

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
  error: 'Something to announce',
};
const ctx: unknown = undefined;
const status = {
  enabled: true,
  pending: false,
  pendingExpired: false,
  eligible: true,
  locked: false,
  backupCodesRemaining: 1,
  enabledAt: new Date(0),
  required: false,
  requiredBy: null,
};
const setup = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  secretForDisplay: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>',
  expiresAt: new Date(0),
  resumed: false,
};
const codes = { backupCodes: ['ABCD-EFGH-JKLM-NPQR'], continueUrl: '/clientarea' };

const RENDERED: Record<keyof typeof defaultViews, string> = {
  securitySection: defaultViews.securitySection({ ...base, status, headingLevel: 2 }, ctx),
  enrollmentIntro: defaultViews.enrollmentIntro(base, ctx),
  enrollmentSetup: defaultViews.enrollmentSetup({ ...base, ...setup }, ctx),
  verificationStep: defaultViews.verificationStep({ ...base, expired: false }, ctx),
  enrollmentComplete: defaultViews.enrollmentComplete({ ...base, ...codes }, ctx),
  backupCodesRegenerated: defaultViews.backupCodesRegenerated({ ...base, ...codes }, ctx),
  challenge: defaultViews.challenge(base, ctx),
  backupCodeReset: defaultViews.backupCodeReset({ ...base, ...codes }, ctx),
  stepUp: defaultViews.stepUp({ ...base, twoFactorEnabled: true, returnTo: '/account/users' }, ctx),
  trustedDevices: defaultViews.trustedDevices(
    {
      ...base,
      devices: [
        {
          id: 'd1',
          label: 'Firefox on Linux',
          createdAt: new Date(0),
          lastUsedAt: null,
          expiresAt: new Date(0),
          current: true,
        },
      ],
      headingLevel: 3,
    },
    ctx,
  ),
  error: defaultViews.error(
    { ...base, status: 403, code: 'TWO_FACTOR_CSRF', message: 'Something to announce', continueUrl: '/' },
    ctx,
  ),
};

describe('default views', () => {
  describe('when rendered', () => {
    for (const [name, markup] of Object.entries(RENDERED)) {
      it(`${name}: labels every visible input`, () => {
        const inputs = [...markup.matchAll(/<input\b([^>]*)>/g)]
          .map(([, attributes]) => attributes)
          .filter((attributes) => !attributes.includes('type="hidden"'));
        for (const attributes of inputs) {
          const id = /id="([^"]+)"/.exec(attributes)?.[1];
          expect(id, attributes).to.be.a('string');
          expect(markup, `label for ${id}`).to.contain(`<label for="${id}">`);
        }
      });

      it(`${name}: puts the CSRF token in every POST form (S25)`, () => {
        for (const [, attributes, body] of markup.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
          if (attributes.includes('method="post"'))
            expect(body).to.contain('<input type="hidden" name="_csrf" value="token-123">');
        }
      });
    }

    for (const name of [
      'securitySection',
      'enrollmentIntro',
      'verificationStep',
      'challenge',
      'stepUp',
      'error',
    ] as const) {
      it(`${name}: announces the error in an aria-live region`, () => {
        expect(RENDERED[name]).to.match(
          /<div class="sf-error" id="[^"]+" role="alert" aria-live="assertive"><p>Something to announce<\/p><\/div>/,
        );
      });
    }

    it('gives code inputs one-time-code autofill, a numeric keyboard and a digits pattern', () => {
      for (const name of ['verificationStep', 'challenge'] as const) {
        const input = /<input\b[^>]*name="code"[^>]*>/.exec(RENDERED[name])![0];
        expect(input)
          .to.contain('autocomplete="one-time-code"')
          .and.to.contain('inputmode="numeric"')
          .and.to.contain('pattern="[0-9 ]*"');
      }
    });

    it('S28: shows the barcode as inline SVG whose text alternative is the secret key', () => {
      expect(RENDERED.enrollmentSetup).to.contain(
        '<div role="img" aria-label="Barcode for your authenticator app. Secret key: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"><svg xmlns="http://www.w3.org/2000/svg">',
      );
      expect(RENDERED.enrollmentSetup).to.not.match(/src="https?:/);
    });

    it('refuses to inline anything but a plain SVG as the barcode', () => {
      const hostile = defaultViews.enrollmentSetup({ ...base, ...setup, qrSvg: '<svg onload="alert(1)"></svg>' }, ctx);
      expect(hostile).to.not.contain('onload');
      expect(hostile).to.contain('JBSW Y3DP EHPK 3PXP');
    });
  });
});
