import * as chai from 'chai';
import {
  ConfigurationError,
  DecryptionError,
  InvalidCodeError,
  InvalidInputError,
  InvalidPasswordError,
  InvalidUserIdError,
  isTwoFactorError,
  KeyUnavailableError,
  LockedError,
  NotEligibleError,
  StoreUnavailableError,
  ThrottledError,
  TWO_FACTOR_ERROR_STATUS,
  TwoFactorError,
  TwoFactorErrorCode,
  TwoFactorStateError,
} from '../src';

const { expect } = chai;

describe('TwoFactorError', function () {
  describe('when each error is constructed', function () {
    const cases: Array<[TwoFactorError, number, string]> = [
      [new InvalidInputError(), 400, 'TWO_FACTOR_INVALID_INPUT'],
      [new InvalidUserIdError(), 400, 'TWO_FACTOR_INVALID_USER_ID'],
      [new InvalidCodeError(), 401, 'TWO_FACTOR_INVALID_CODE'],
      [new InvalidPasswordError(), 401, 'TWO_FACTOR_INVALID_PASSWORD'],
      [new NotEligibleError(), 403, 'TWO_FACTOR_NOT_ELIGIBLE'],
      [new TwoFactorStateError(TwoFactorErrorCode.AlreadyEnabled, 'x'), 409, 'TWO_FACTOR_ALREADY_ENABLED'],
      [new TwoFactorStateError(TwoFactorErrorCode.NotEnabled, 'x'), 409, 'TWO_FACTOR_NOT_ENABLED'],
      [new TwoFactorStateError(TwoFactorErrorCode.NoPendingEnrollment, 'x'), 409, 'TWO_FACTOR_NO_PENDING_ENROLLMENT'],
      [new TwoFactorStateError(TwoFactorErrorCode.EnrollmentExpired, 'x'), 409, 'TWO_FACTOR_ENROLLMENT_EXPIRED'],
      [new TwoFactorStateError(TwoFactorErrorCode.RequiredByPolicy, 'x'), 409, 'TWO_FACTOR_REQUIRED_BY_POLICY'],
      [new LockedError(), 423, 'TWO_FACTOR_LOCKED'],
      [new ThrottledError(3), 429, 'TWO_FACTOR_THROTTLED'],
      [new KeyUnavailableError('x'), 500, 'TWO_FACTOR_KEY_UNAVAILABLE'],
      [new DecryptionError(), 500, 'TWO_FACTOR_DECRYPTION_FAILED'],
      [new ConfigurationError('x'), 500, 'TWO_FACTOR_CONFIGURATION'],
      [new StoreUnavailableError(), 503, 'TWO_FACTOR_UNAVAILABLE'],
    ];
    for (const [error, status, code] of cases) {
      it(`${error.name} is ${status} ${code}, exposed only below 500`, function () {
        expect(error).to.be.instanceOf(TwoFactorError).and.instanceOf(Error);
        expect(error).to.include({
          status,
          statusCode: status,
          code,
          expose: status < 500,
          name: error.constructor.name,
        });
        expect(isTwoFactorError(error)).to.equal(true);
      });
    }

    it('covers every code once, each with the one status of TWO_FACTOR_ERROR_STATUS', function () {
      expect(cases.map(([error]) => error.code).sort()).to.deep.equal(Object.values(TwoFactorErrorCode).sort());
      for (const [error, status] of cases) expect(TWO_FACTOR_ERROR_STATUS[error.code], error.code).to.equal(status);
      expect(Object.keys(TWO_FACTOR_ERROR_STATUS).sort()).to.deep.equal(Object.values(TwoFactorErrorCode).sort());
    });
  });

  describe('when throttled', function () {
    it('S16: carries whole seconds of at least 1 in retryAfterSeconds and Retry-After', function () {
      expect(new ThrottledError(0.2)).to.deep.include({ retryAfterSeconds: 1, headers: { 'Retry-After': '1' } });
      expect(new ThrottledError(7.01)).to.deep.include({ retryAfterSeconds: 8, headers: { 'Retry-After': '8' } });
    });
  });

  describe('when a store fault wraps a cause', function () {
    it('keeps the cause for logs and a generic exposed message off', function () {
      const cause = new Error('ECONNREFUSED 127.0.0.1:3306');
      const error = new StoreUnavailableError(undefined, { cause });
      expect(error.cause).to.equal(cause);
      expect(error.message).to.not.include('3306');
      expect(error.expose).to.equal(false);
    });
  });

  describe('when recognising errors from another copy of the package', function () {
    it('accepts the shape and refuses look-alikes', function () {
      expect(isTwoFactorError({ code: 'TWO_FACTOR_LOCKED', status: 423 })).to.equal(true);
      expect(isTwoFactorError({ code: 'ECONNREFUSED', status: 500 })).to.equal(false);
      expect(isTwoFactorError(new Error('x'))).to.equal(false);
      expect(isTwoFactorError(null)).to.equal(false);
    });
  });
});
