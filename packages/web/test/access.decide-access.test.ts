/** The one access decision every guard answers from (S20): one code per outcome. */
import * as chai from 'chai';
import { decideAccess, type LoginState } from '../src';

const { expect } = chai;

const USER = { id: 'u-1' };

describe('decideAccess', () => {
  describe('when the host knows a user and no login is in progress', () => {
    it('lets the user through', () => {
      expect(decideAccess({ user: USER, loginState: 'none' })).to.deep.equal({ allowed: true, user: USER });
    });
  });

  describe('when nobody is signed in', () => {
    for (const user of [undefined, null]) {
      it(`answers 401 TWO_FACTOR_SIGN_IN_REQUIRED and the login page for ${String(user)}`, () => {
        expect(decideAccess({ user, loginState: 'none' })).to.deep.equal({
          allowed: false,
          status: 401,
          code: 'TWO_FACTOR_SIGN_IN_REQUIRED',
          next: 'login',
        });
      });
    }
  });

  describe('when a second factor is pending', () => {
    for (const user of [undefined, USER]) {
      it(`S20: answers 401 TWO_FACTOR_REQUIRED and the challenge, whatever the session's user (${user ? 'one' : 'none'})`, () => {
        expect(decideAccess({ user, loginState: 'pending' })).to.deep.equal({
          allowed: false,
          status: 401,
          code: 'TWO_FACTOR_REQUIRED',
          next: 'challenge',
        });
      });
    }
  });

  describe('when the pending login expired', () => {
    it('S20: is signed out even with a user in the session: TWO_FACTOR_SIGN_IN_REQUIRED', () => {
      const states: LoginState[] = ['expired'];
      for (const loginState of states)
        expect(decideAccess({ user: USER, loginState })).to.include({
          allowed: false,
          code: 'TWO_FACTOR_SIGN_IN_REQUIRED',
        });
    });
  });
});
