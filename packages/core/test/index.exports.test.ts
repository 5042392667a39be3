import * as chai from 'chai';
import * as core from '../src';

const { expect } = chai;

describe('@secondfactor/core', function () {
  describe('when imported', function () {
    it('exports exactly the documented runtime names', function () {
      expect(Object.keys(core).sort()).to.deep.equal([
        'BACKUP_CODE_ALPHABET',
        'BACKUP_CODE_LENGTH',
        'BackupCodeHasher',
        'ConfigurationError',
        'DEFAULT_GRACE_DAYS',
        'DEFAULT_PENDING_TTL_SECONDS',
        'DEFAULT_SCRYPT_PARAMS',
        'DEFAULT_STEP_UP_MAX_AGE_SECONDS',
        'DEFAULT_THROTTLE_POLICY',
        'DEFAULT_TRUSTED_DEVICE_DAYS',
        'DEFAULT_WINDOW',
        'DecryptionError',
        'InvalidCodeError',
        'InvalidInputError',
        'InvalidPasswordError',
        'InvalidUserIdError',
        'KEY_BYTES',
        'KeyUnavailableError',
        'Keyring',
        'LockedError',
        'MAX_BACKUP_CODE_COUNT',
        'MAX_CODE_INPUT_LENGTH',
        'MAX_FAILURES_CEILING',
        'MAX_STEP_UP_MAX_AGE_SECONDS',
        'MAX_TRUSTED_DEVICES_PER_USER',
        'MAX_TRUSTED_DEVICE_DAYS',
        'MAX_TRUSTED_DEVICE_LABEL_LENGTH',
        'MAX_USER_ID_LENGTH',
        'MAX_WINDOW_STEPS',
        'MIN_SECRET_BYTES',
        'MemoryTwoFactorStore',
        'NOTIFIABLE_EVENT_TYPES',
        'NotEligibleError',
        'SECRET_BYTES',
        'SecretCipher',
        'StoreUnavailableError',
        'TOTP_DEFAULTS',
        'TRUSTED_DEVICE_TOKEN_BYTES',
        'TRUSTED_DEVICE_TOUCH_INTERVAL_MS',
        'TWO_FACTOR_ERROR_STATUS',
        'ThrottlePolicy',
        'ThrottledError',
        'TwoFactorError',
        'TwoFactorErrorCode',
        'TwoFactorEventType',
        'TwoFactorService',
        'TwoFactorStateError',
        'assertValidWindow',
        'base32Decode',
        'base32Encode',
        'buildOtpauthUri',
        'checkStepUpMaxAge',
        'envelopeKeyId',
        'formatSecretForDisplay',
        'generateBackupCode',
        'generateSecret',
        'generateTotp',
        'hashDeviceToken',
        'hostUserId',
        'hotp',
        'importSecret',
        'isTwoFactorError',
        'isValidUserId',
        'normalizeBackupCode',
        'normalizeTotpCode',
        'renderQrDataUrl',
        'renderQrSvg',
        'secretToBase32',
        'serviceUserId',
        'stepUpWindow',
        'timeStep',
        'verifyTotp',
      ]);
    });

    it('the built package exposes the same names as the source', function () {
      const built = require('@secondfactor/core') as Record<string, unknown>;
      expect(Object.keys(built).sort()).to.deep.equal(Object.keys(core).sort());
    });
  });
});
