import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { randomBytes } from 'node:crypto';
import {
  ConfigurationError,
  DecryptionError,
  envelopeKeyId,
  KEY_BYTES,
  Keyring,
  KeyUnavailableError,
  SecretCipher,
  TwoFactorService,
} from '../src';
import { codeAt, enroll, makeService, randomKeyring, success, ISSUER, PASSWORD } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

const ALICE = { userId: 'alice', credentialId: 'c-alice' };
const BOB = { userId: 'bob', credentialId: 'c-bob' };
const SECRET = Buffer.from('12345678901234567890');

function keyText(id: string, key: Buffer = randomBytes(32)): string {
  return `${id}:${key.toString('base64')}`;
}

describe('SecretCipher', function () {
  describe('when a secret is encrypted and decrypted with the same binding', function () {
    it('S6: round-trips the bytes', function () {
      const cipher = new SecretCipher(randomKeyring());
      expect(cipher.decrypt(cipher.encrypt(SECRET, ALICE), ALICE)).to.deep.equal(SECRET);
    });

    it('S6: writes a versioned AES-256-GCM envelope naming the key, with a fresh IV each time', function () {
      const cipher = new SecretCipher(randomKeyring('prod-2030'));
      const a = cipher.encrypt(SECRET, ALICE);
      const b = cipher.encrypt(SECRET, ALICE);
      expect(a).to.match(/^sf1\.prod-2030\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{27}\.[A-Za-z0-9_-]{22}$/);
      expect(a).to.not.equal(b);
      expect(envelopeKeyId(a)).to.equal('prod-2030');
      for (const form of [SECRET.toString('hex'), SECRET.toString('base64'), SECRET.toString('base64url'), 'GEZDGNBV'])
        expect(a).to.not.include(form);
    });
  });

  describe('when a ciphertext is moved to another user or credential', function () {
    it('S6: refuses to decrypt it under the other binding', function () {
      const cipher = new SecretCipher(randomKeyring());
      const envelope = cipher.encrypt(SECRET, ALICE);
      expect(() => cipher.decrypt(envelope, BOB)).to.throw(DecryptionError);
      expect(() => cipher.decrypt(envelope, { userId: 'alice', credentialId: 'c-other' })).to.throw(DecryptionError);
      expect(() => cipher.decrypt(envelope, { userId: 'alic', credentialId: 'e:c-alice' })).to.throw(DecryptionError);
    });

    it('S6: the service refuses a secret swapped between two users’ rows', async function () {
      const fixture = makeService();
      const alice = await enroll(fixture, 'alice');
      await enroll(fixture, 'bob');
      const a = await fixture.store.findByUserId('alice');
      const b = await fixture.store.findByUserId('bob');
      if (!a || !b) throw new Error('both users must be enrolled');
      await fixture.store.updateSecret({
        credentialId: b.id,
        expectedEncryptedSecret: b.encryptedSecret,
        encryptedSecret: a.encryptedSecret,
        keyId: a.keyId,
        now: fixture.clock.now(),
      });
      // Bob's row now holds Alice's ciphertext: even Alice's valid code must not open Bob's factor.
      const rejection = await expect(
        fixture.service.verifyCode({ userId: 'bob', code: codeAt(alice.secret, fixture.clock) }),
      ).to.be.rejectedWith(DecryptionError);
      expect(rejection).to.include({ status: 500, expose: false, code: 'TWO_FACTOR_DECRYPTION_FAILED' });
      expect((await fixture.store.findByUserId('bob'))?.lastUsedStep).to.equal(b.lastUsedStep);
    });
  });

  describe('when the key is wrong, missing or the envelope altered', function () {
    it('S6: a different key under the same id fails with a clear DecryptionError', function () {
      const envelope = new SecretCipher(Keyring.parse(keyText('k1'))).encrypt(SECRET, ALICE);
      const other = new SecretCipher(Keyring.parse(keyText('k1')));
      expect(() => other.decrypt(envelope, ALICE)).to.throw(
        DecryptionError,
        /wrong key, tampered data, or another user's ciphertext/,
      );
    });

    it('S6: an envelope naming an unconfigured key fails with KeyUnavailableError naming the id', function () {
      const envelope = new SecretCipher(Keyring.parse(keyText('old'))).encrypt(SECRET, ALICE);
      const cipher = new SecretCipher(Keyring.parse(keyText('new')));
      expect(() => cipher.decrypt(envelope, ALICE)).to.throw(KeyUnavailableError, /"old"/);
      const error = new KeyUnavailableError('x');
      expect(error).to.include({ status: 500, expose: false, code: 'TWO_FACTOR_KEY_UNAVAILABLE' });
    });

    it('S6: any changed part of the envelope fails with DecryptionError', function () {
      const cipher = new SecretCipher(randomKeyring());
      const envelope = cipher.encrypt(SECRET, ALICE);
      const parts = envelope.split('.');
      for (const index of [2, 3, 4]) {
        const changed = [...parts];
        const bytes = Buffer.from(changed[index], 'base64url');
        bytes[0] ^= 1;
        changed[index] = bytes.toString('base64url');
        expect(() => cipher.decrypt(changed.join('.'), ALICE), `part ${index}`).to.throw(DecryptionError);
      }
    });

    it('S6: a malformed envelope fails with DecryptionError, never returning bytes', function () {
      const cipher = new SecretCipher(randomKeyring());
      for (const bad of [
        '',
        'plain',
        'sf1.k1.a.b',
        'sf2.k1.AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA',
        'sf1.k1.AA.AA.AA',
        42 as unknown as string,
      ]) {
        expect(() => cipher.decrypt(bad, ALICE)).to.throw(DecryptionError);
      }
    });
  });

  describe('when the keys are rotated', function () {
    it('S6: old envelopes still decrypt, report needsReencryption, and reencrypt under the new key', function () {
      const k1 = randomBytes(32);
      const before = new SecretCipher(Keyring.parse(keyText('k1', k1)));
      const old = before.encrypt(SECRET, ALICE);
      const after = new SecretCipher(Keyring.parse(`${keyText('k2')},${keyText('k1', k1)}`));
      expect(after.currentKeyId).to.equal('k2');
      expect(after.decrypt(old, ALICE)).to.deep.equal(SECRET);
      expect(after.needsReencryption(old)).to.equal(true);
      const fresh = after.reencrypt(old, ALICE);
      expect(envelopeKeyId(fresh)).to.equal('k2');
      expect(after.needsReencryption(fresh)).to.equal(false);
      expect(after.decrypt(fresh, ALICE)).to.deep.equal(SECRET);
      expect(() => before.decrypt(fresh, ALICE)).to.throw(KeyUnavailableError);
    });

    it('S6: users enrolled under the old key keep signing in after rotation', async function () {
      const k1 = keyText('k1');
      const fixture = makeService({ keyring: Keyring.parse(k1) });
      const user = await enroll(fixture, 'u1');
      const rotated = new TwoFactorService({
        store: fixture.store,
        keyring: Keyring.parse(`${keyText('k2')} ${k1}`),
        issuer: ISSUER,
        verifyPassword: (_u, p) => p === PASSWORD,
        clock: fixture.clock.clock,
      });
      success(await rotated.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      const start = success(await rotated.beginEnrollment({ userId: 'u2', accountName: 'u2@example.com' }));
      expect(start.secret).to.have.length(32);
      expect((await fixture.store.findByUserId('u2'))?.keyId).to.equal('k2');
    });
  });
});

describe('Keyring', function () {
  describe('when parsing SECONDFACTOR_KEYS', function () {
    it('S6: takes the first pair as the current key and accepts commas or whitespace', function () {
      const keyring = Keyring.parse(` ${keyText('k3')},${keyText('k2')}\n${keyText('k1')} `);
      expect(keyring.currentKeyId).to.equal('k3');
      expect(keyring.keyIds()).to.deep.equal(['k3', 'k2', 'k1']);
      expect(keyring.get('k2')).to.have.length(KEY_BYTES);
    });

    for (const [label, text, pattern] of [
      ['an empty value', '', /No keys given/],
      ['a pair without a colon', randomBytes(32).toString('base64'), /kid:base64key/],
      ['a pair with an empty id', `:${randomBytes(32).toString('base64')}`, /kid:base64key/],
      ['a 16-byte key', keyText('k1', randomBytes(16)), /must be 32 bytes, got 16/],
      ['a key that is not base64 of 32 bytes', 'k1:not-a-key', /must be 32 bytes/],
      ['a duplicated id', `${keyText('k1')},${keyText('k1')}`, /listed twice/],
      ['an id with a dot', keyText('k.1'), /Key id/],
      ['an id longer than 32 characters', keyText('k'.repeat(33)), /Key id/],
    ] as const) {
      it(`S6: refuses ${label} with a ConfigurationError`, function () {
        expect(() => Keyring.parse(text)).to.throw(ConfigurationError, pattern);
      });
    }
  });

  describe('when constructed directly', function () {
    it('refuses a current key id that is not in the ring', function () {
      expect(() => new Keyring({ keys: { k1: randomBytes(32) }, currentKeyId: 'k2' })).to.throw(
        ConfigurationError,
        /not in the keyring/,
      );
    });

    it('copies the keys, so later changes to the caller’s buffer do not matter', function () {
      const key = randomBytes(32);
      const copy = Buffer.from(key);
      const keyring = new Keyring({ keys: { k1: key }, currentKeyId: 'k1' });
      key.fill(0);
      expect(keyring.get('k1')).to.deep.equal(copy);
    });

    it('answers get() for an unknown id with KeyUnavailableError', function () {
      expect(() => randomKeyring().get('nope')).to.throw(KeyUnavailableError);
    });
  });
});
