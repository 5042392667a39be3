/** Pins the public face of the package: a change here is a deliberate API change. */
import * as chai from 'chai';
import * as api from '../src';

const { expect } = chai;

describe('@secondfactor/passport-totp', () => {
  describe('when imported', () => {
    it('exports exactly the documented names', () => {
      expect(Object.keys(api).sort()).to.deep.equal([
        'DEFAULT_PENDING_LOGIN_TTL_SECONDS',
        'MAX_PENDING_LOGIN_TTL_SECONDS',
        'NoPendingLoginError',
        'PENDING_SECOND_FACTOR_KEY',
        'SECOND_STEP_ERROR_STATUS',
        'SecondStepErrorCode',
        'TotpStrategy',
        'clearPendingSecondFactor',
        'getPendingSecondFactor',
        'hasPendingSecondFactor',
        'isTotpFailureInfo',
        'loginStateOf',
        'setPendingSecondFactor',
        'verifySecondStep',
      ]);
    });

    it('exports the same names from the built package entry point', () => {
      const built = require('@secondfactor/passport-totp') as Record<string, unknown>;
      expect(Object.keys(built).sort()).to.deep.equal(Object.keys(api).sort());
    });
  });
});
