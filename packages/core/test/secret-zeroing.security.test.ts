/**
 * S40: the decrypted secret lives in a Buffer that is zeroed once the check is done, on every path.
 * The spies wrap `SecretCipher.prototype.decrypt` and node:crypto's `createDecipheriv` and
 * `createHmac` (read from the module object at call time in the CommonJS build) for one test at a
 * time, hold on to the buffers handed out, and look at them after the call.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import * as nodeCrypto from 'node:crypto';
import { base32Decode, DecryptionError, Keyring, SecretCipher } from '../src';
import { codeAt, enroll, failure, makeService, randomKeyring, success, wrongCode } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

type Crypto = { createDecipheriv: typeof nodeCrypto.createDecipheriv; createHmac: typeof nodeCrypto.createHmac };
const mutableCrypto = require('node:crypto') as Crypto;

/** The buffers `SecretCipher.decrypt` returned while installed. */
function spyOnDecrypt(): Buffer[] {
  const handedOut: Buffer[] = [];
  const original = Object.getOwnPropertyDescriptor(SecretCipher.prototype, 'decrypt')?.value as SecretCipher['decrypt'];
  beforeEach(function () {
    handedOut.length = 0;
    SecretCipher.prototype.decrypt = function (this: SecretCipher, ...args: Parameters<SecretCipher['decrypt']>) {
      const plaintext = original.apply(this, args);
      handedOut.push(plaintext);
      return plaintext;
    };
  });
  afterEach(function () {
    SecretCipher.prototype.decrypt = original;
  });
  return handedOut;
}

function allZero(buffers: readonly Buffer[]): boolean {
  return buffers.every((buffer) => buffer.every((byte) => byte === 0));
}

describe('TwoFactorService', function () {
  describe('when a code is checked against the stored secret', function () {
    const handedOut = spyOnDecrypt();

    it('S40: zeroes the decrypted secret after a correct code', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      handedOut.length = 0;
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      expect(handedOut).to.have.length(1);
      expect(handedOut[0]).to.have.length(20);
      expect(allZero(handedOut)).to.equal(true);
    });

    it('S40: zeroes the decrypted secret after a wrong code', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      handedOut.length = 0;
      failure(await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }));
      expect(handedOut).to.have.length(1);
      expect(allZero(handedOut)).to.equal(true);
    });

    it('S40: zeroes the decrypted secret when the check throws', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      handedOut.length = 0;
      const original = mutableCrypto.createHmac;
      mutableCrypto.createHmac = (() => {
        throw new Error('HMAC unavailable');
      }) as typeof nodeCrypto.createHmac;
      try {
        await expect(fixture.service.verifyCode({ userId: 'u1', code })).to.be.rejectedWith('HMAC unavailable');
      } finally {
        mutableCrypto.createHmac = original;
      }
      expect(handedOut).to.have.length(1);
      expect(allZero(handedOut)).to.equal(true);
    });

    it('S40: zeroes it after confirming an enrollment, with a wrong and a right code', async function () {
      const fixture = makeService();
      const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'a@example.com' }));
      failure(await fixture.service.confirmEnrollment({ userId: 'u1', code: '000000' }));
      expect(handedOut).to.have.length(1);
      expect(allZero(handedOut)).to.equal(true);
      const secret = base32Decode(start.secret) as Buffer;
      success(await fixture.service.confirmEnrollment({ userId: 'u1', code: codeAt(secret, fixture.clock) }));
      expect(handedOut).to.have.length(2);
      expect(allZero(handedOut)).to.equal(true);
    });

    it('S40: turns no buffer holding the secret into a string while verifying', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      const wrong = wrongCode(user.secret, fixture.clock);
      handedOut.length = 0;
      const original = Buffer.prototype.toString;
      const stringified: string[] = [];
      Buffer.prototype.toString = function (this: Buffer, ...args: Parameters<Buffer['toString']>) {
        if (this.length === user.secret.length && this.equals(user.secret)) stringified.push(String(args[0]));
        return original.apply(this, args);
      };
      try {
        success(await fixture.service.verifyCode({ userId: 'u1', code }));
        failure(await fixture.service.verifyCode({ userId: 'u1', code: wrong }));
      } finally {
        Buffer.prototype.toString = original;
      }
      expect(stringified).to.deep.equal([]);
      expect(handedOut).to.have.length(2);
    });
  });

  describe('when keys rotate', function () {
    const handedOut = spyOnDecrypt();

    it('S40: reencrypt zeroes the plaintext it decrypted', function () {
      const oldKey = `old:${nodeCrypto.randomBytes(32).toString('base64')}`;
      const newKey = `new:${nodeCrypto.randomBytes(32).toString('base64')}`;
      const binding = { userId: 'u1', credentialId: 'c1' };
      const envelope = new SecretCipher(Keyring.parse(oldKey)).encrypt(Buffer.from('12345678901234567890'), binding);
      const rotated = new SecretCipher(Keyring.parse(`${newKey},${oldKey}`)).reencrypt(envelope, binding);
      expect(rotated).to.match(/^sf1\.new\./);
      expect(handedOut).to.have.length(1);
      expect(allZero(handedOut)).to.equal(true);
    });
  });
});

describe('SecretCipher', function () {
  describe('when the tag check fails after update() produced plaintext', function () {
    it('S40: zeroes the unauthenticated bytes before throwing DecryptionError', function () {
      const cipher = new SecretCipher(randomKeyring());
      const envelope = cipher.encrypt(Buffer.from('12345678901234567890'), { userId: 'u1', credentialId: 'c1' });
      const outputs: Buffer[] = [];
      const original = mutableCrypto.createDecipheriv;
      mutableCrypto.createDecipheriv = ((...args: Parameters<typeof nodeCrypto.createDecipheriv>) => {
        const decipher = original(...args);
        const update = decipher.update.bind(decipher) as (data: Buffer) => Buffer;
        (decipher as unknown as { update: (data: Buffer) => Buffer }).update = (data: Buffer) => {
          const out = update(data);
          outputs.push(out);
          return out;
        };
        return decipher;
      }) as typeof nodeCrypto.createDecipheriv;
      try {
        expect(() => cipher.decrypt(envelope, { userId: 'someone-else', credentialId: 'c1' })).to.throw(
          DecryptionError,
        );
      } finally {
        mutableCrypto.createDecipheriv = original;
      }
      expect(outputs).to.have.length(1);
      expect(outputs[0]).to.have.length(20);
      expect(allZero(outputs)).to.equal(true);
    });
  });

  describe('when a keyring is parsed from text', function () {
    it('S40: zeroes the key bytes it decoded, keeping its own copies', function () {
      const key = nodeCrypto.randomBytes(32);
      const decoded: Buffer[] = [];
      const original = Buffer.from;
      Buffer.from = function (...args: unknown[]) {
        const made = (original as (...a: unknown[]) => Buffer).apply(Buffer, args);
        if (args[1] === 'base64') decoded.push(made);
        return made;
      } as typeof Buffer.from;
      let keyring: Keyring;
      try {
        keyring = Keyring.parse(`k1:${key.toString('base64')}`);
      } finally {
        Buffer.from = original;
      }
      expect(decoded).to.have.length(1);
      expect(allZero(decoded)).to.equal(true);
      expect(keyring.get('k1').equals(key)).to.equal(true);
    });
  });
});
