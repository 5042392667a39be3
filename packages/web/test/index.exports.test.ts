/** Pins the public face of the package: a change here is a deliberate API change. */
import * as chai from 'chai';
import * as web from '../src';

const { expect } = chai;

describe('@secondfactor/web', () => {
  describe('when imported', () => {
    it('exports exactly its public API', () => {
      expect(Object.keys(web).sort()).to.deep.equal([
        'DEFAULT_TRUSTED_DEVICE_COOKIE',
        'NO_STORE_HEADERS',
        'ROUTE_ERROR_STATUS',
        'ROUTE_TABLE',
        'RouteError',
        'RouteErrorCode',
        'SECURITY_STAMP_SESSION_KEY',
        'STEP_UP_SESSION_KEY',
        'SafeHtml',
        'checkPasswordThrottled',
        'createTwoFactorWeb',
        'csrfField',
        'decideAccess',
        'defaultTexts',
        'defaultViews',
        'deviceLabel',
        'escapeHtml',
        'formatDeadline',
        'html',
        'isFault',
        'isJsonContentType',
        'preferredType',
        'raw',
        'safeReturnTo',
        'stepUpUrl',
        'toProblem',
        'tooManyAttempts',
        'verifiedAtOf',
        'wantsJson',
      ]);
    });
  });
});
