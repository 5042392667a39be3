import * as chai from 'chai';
import { hashPassword, passwordFingerprint, verifyPassword } from '../src/services/password-hasher';

const { expect } = chai;
const FAST = { N: 1024, r: 8, p: 1 };

describe('hashPassword', () => {
  describe('when a password is hashed', () => {
    it('stores scrypt parameters, a random salt and the key, and verifies only the same password', async () => {
      const stored = await hashPassword('correct horse battery staple', FAST);
      expect(stored).to.match(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(await hashPassword('correct horse battery staple', FAST)).to.not.equal(stored);
      expect(await verifyPassword('correct horse battery staple', stored)).to.equal(true);
      expect(await verifyPassword('correct horse battery stapler', stored)).to.equal(false);
    });

    it('treats composed and decomposed Unicode as the same password (NFKC)', async () => {
      const stored = await hashPassword('caf\u00e9 au lait', FAST);
      expect(await verifyPassword('cafe\u0301 au lait', stored)).to.equal(true);
    });
  });

  describe('when the stored hash is malformed', () => {
    it('answers false rather than throwing', async () => {
      for (const stored of ['', 'plain', 'scrypt$x$8$1$c2FsdA==$a2V5', 'bcrypt$1$2$3$4$5']) {
        expect(await verifyPassword('anything', stored), stored).to.equal(false);
      }
    });
  });
});

describe('passwordFingerprint', () => {
  describe('when the password hash changes', () => {
    it('S22: changes too, and never contains the hash', async () => {
      const first = await hashPassword('one password', FAST);
      const second = await hashPassword('one password', FAST);
      expect(passwordFingerprint(first)).to.equal(passwordFingerprint(first));
      expect(passwordFingerprint(first)).to.not.equal(passwordFingerprint(second));
      expect(passwordFingerprint(first)).to.not.contain(first.split('$')[5]);
    });
  });
});
