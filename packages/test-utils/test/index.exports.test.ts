import * as chai from 'chai';
import * as testUtils from '../src';

const { expect } = chai;

describe('@secondfactor/test-utils', function () {
  describe('when imported', function () {
    it('exports exactly the documented names', function () {
      expect(Object.keys(testUtils).sort()).to.deep.equal([
        'ADA',
        'BACKENDS',
        'BACKEND_LABELS',
        'BOB',
        'BROWSER_ACCEPT',
        'CHALLENGE',
        'Client',
        'DEFAULT_FAKE_CLOCK_START',
        'FakeClock',
        'MANAGEMENT',
        'REAL_CLOCK',
        'SESSION_COOKIE',
        'STEP_MS',
        'SUB',
        'SiteClient',
        'VECTOR_FIXTURES_DIR',
        'auditEventTypes',
        'awayFromStepBoundary',
        'backupCodeRows',
        'beginEnrollment',
        'capture',
        'changePassword',
        'codeForStep',
        'createWorld',
        'credentialOf',
        'currentStep',
        'dumpText',
        'enableTwoFactorUser',
        'expectStatus',
        'findSecrets',
        'formWithButton',
        'forms',
        'liveErrors',
        'loadHotpVectors',
        'loadTotpVectors',
        'mailsTo',
        'passwordStep',
        'rawSecretSpellings',
        'readOutbox',
        'registerUser',
        'runAdapterSuite',
        'runPasswordThrottleConformanceSuite',
        'runSiteSuite',
        'runStoreConformanceSuite',
        'skipBackoff',
        'sleep',
        'submitOneCodeInParallel',
        'uniqueEmail',
        'userIdByEmail',
        'waitOutBackoff',
        'wrongCode',
      ]);
    });
  });
});
