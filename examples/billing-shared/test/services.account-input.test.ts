import * as chai from 'chai';
import { firstName, parseEmail, parseLogin, parseNewAccount } from '../src/services/account-input';
import { SiteError } from '../src/services/site-error';

const { expect } = chai;

describe('parseNewAccount', () => {
  describe('when the fields are valid', () => {
    it('trims the name, lower-cases the email and keeps the password as typed', () => {
      expect(
        parseNewAccount({ name: '  Ada   Lovelace ', email: ' Ada@Example.COM ', password: ' spaces count ' }),
      ).to.deep.equal({
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        password: ' spaces count ',
      });
    });
  });

  describe('when fields are missing, of the wrong type or out of range', () => {
    it('throws a 400 INVALID_INPUT naming every bad field', () => {
      const bodies: unknown[] = [
        {},
        null,
        [],
        'text',
        { name: ['a'], email: { a: 1 }, password: 12345678 },
        { name: 'x'.repeat(101), email: 'a@b', password: 'short' },
        { name: 'A <script>', email: 'a@example.com', password: 'long enough' },
      ];
      for (const body of bodies) {
        let error: unknown;
        try {
          parseNewAccount(body);
        } catch (caught) {
          error = caught;
        }
        expect(error, JSON.stringify(body)).to.be.instanceOf(SiteError);
        expect((error as SiteError).status).to.equal(400);
        expect((error as SiteError).code).to.equal('INVALID_INPUT');
        expect(Object.keys((error as SiteError).fields)).to.not.be.empty;
      }
    });
  });
});

describe('parseLogin', () => {
  describe('when the body is not two strings', () => {
    it('throws 400 and never reads other types', () => {
      expect(parseLogin({ email: 'A@x.io', password: 'p' })).to.deep.equal({ email: 'a@x.io', password: 'p' });
      for (const body of [
        { email: 'a@x.io' },
        { email: ['a@x.io'], password: 'p' },
        { email: 'a@x.io', password: 'x'.repeat(1025) },
      ]) {
        expect(() => parseLogin(body), JSON.stringify(body)).to.throw(SiteError);
      }
    });
  });
});

describe('parseEmail', () => {
  describe('when given addresses and non-addresses', () => {
    it('normalises the first and answers null for the rest', () => {
      expect(parseEmail(' X@Example.org ')).to.equal('x@example.org');
      for (const value of ['', 'no-at', 'a@b', 'a b@example.com', 'a@-example.com', 42, null])
        expect(parseEmail(value), String(value)).to.equal(null);
    });
  });
});

describe('firstName', () => {
  describe('when given a full name', () => {
    it('answers the first word, for "Hello, {first name}!"', () => {
      expect(firstName('Ada King Lovelace')).to.equal('Ada');
      expect(firstName('Prince')).to.equal('Prince');
    });
  });
});
