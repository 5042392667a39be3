/** passportUserId: which user a session belongs to, read from Passport's part of the session. */
import * as chai from 'chai';
import { MAX_USER_ID_LENGTH, passportUserId } from '../src';

const { expect } = chai;

describe('passportUserId', function () {
  describe('when Passport has a user in the session', function () {
    it('returns a string id as it is, and an integer id as its decimal string', function () {
      expect(passportUserId({ passport: { user: 'user-42' } })).to.equal('user-42');
      expect(passportUserId({ passport: { user: 42 } })).to.equal('42');
    });
  });

  describe('when nobody is signed in, or the user is not an id', function () {
    it('returns null', function () {
      expect(passportUserId({})).to.equal(null);
      expect(passportUserId({ passport: {} })).to.equal(null);
      expect(passportUserId({ passport: { user: '' } })).to.equal(null);
      expect(passportUserId({ passport: { user: { id: 1 } } })).to.equal(null);
      expect(passportUserId({ passport: { user: 1.5 } })).to.equal(null);
      expect(passportUserId({ passport: 'user' })).to.equal(null);
    });
  });

  describe('when the id is too long for the index', function () {
    it('throws a RangeError rather than lose the user', function () {
      expect(() => passportUserId({ passport: { user: 'x'.repeat(MAX_USER_ID_LENGTH + 1) } })).to.throw(RangeError);
    });
  });
});
