/** Pins the public face of the package: a change here is a deliberate API change. */
import * as chai from 'chai';
import * as api from '../src';
import { createHost } from './support/host';

const { expect } = chai;

describe('@secondfactor/express', () => {
  describe('when imported', () => {
    it('exports exactly its public API', () => {
      expect(Object.keys(api).sort()).to.deep.equal([
        'RouteError',
        'RouteErrorCode',
        'SafeHtml',
        'checkPasswordThrottled',
        'createTwoFactorRouters',
        'csrfField',
        'csrfTokenFromRequest',
        'decideAccess',
        'defaultTexts',
        'defaultViews',
        'escapeHtml',
        'html',
        'raw',
      ]);
    });

    it('returns both routers, the guard, the section renderer, the CSRF error handler, the password step and the address limit', () => {
      const { twoFactor } = createHost();
      expect(Object.keys(twoFactor).sort()).to.deep.equal([
        'beginSecondFactor',
        'challenge',
        'csrfErrorHandler',
        'csrfProtection',
        'limitAttemptsByAddress',
        'management',
        'passwordStep',
        'renderSecuritySection',
        'requireRecentSecondFactor',
        'requireSecondFactor',
      ]);
      expect(twoFactor.management).to.be.a('function');
      expect(twoFactor.challenge).to.be.a('function');
    });
  });
});
