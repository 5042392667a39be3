import * as chai from 'chai';
import * as koa from '../src';
import { createHost } from './support/host';

const { expect } = chai;

describe('@secondfactor/koa', () => {
  describe('when imported', () => {
    it('exports exactly its public API', () => {
      expect(Object.keys(koa).sort()).to.deep.equal([
        'RouteError',
        'RouteErrorCode',
        'SafeHtml',
        'checkPasswordThrottled',
        'createTwoFactorRouters',
        'csrfField',
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
      expect(twoFactor.management.opts.prefix).to.equal('/account/security/two-factor');
      expect(twoFactor.challenge.opts.prefix).to.equal('/login/two-factor');
    });
  });
});
