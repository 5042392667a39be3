/**
 * The envelope format of secrets at rest (S6), pinned: `sf1.<keyId>.<iv>.<ciphertext>.<tag>`,
 * a 12-byte IV, a 16-byte tag, and AAD `sf1|<len>:<userId>|<len>:<credentialId>`. Envelopes
 * written today must decrypt after any upgrade, and anything else is refused before decryption.
 */
import * as chai from 'chai';
import { createCipheriv } from 'node:crypto';
import { DecryptionError, envelopeKeyId, Keyring, SecretCipher } from '../src';

const { expect } = chai;

const KEY = Buffer.alloc(32, 7);
const BINDING = { userId: 'alice', credentialId: 'c-alice' };
const SECRET = Buffer.from('12345678901234567890');
const NOT_AN_ENVELOPE = /^The stored secret is not a recognised envelope\.$/;
const MALFORMED = /^The stored secret envelope is malformed\.$/;
const FAILED_AUTHENTICATION = /failed authentication/;

function cipher(): SecretCipher {
  return new SecretCipher(Keyring.parse(`k1:${KEY.toString('base64')}`));
}

/** An envelope built by hand from the documented format, with node:crypto only. */
function handMade(options: { iv?: Buffer; aad?: string } = {}): string {
  const iv = options.iv ?? Buffer.alloc(12, 1);
  const aes = createCipheriv('aes-256-gcm', KEY, iv, { authTagLength: 16 });
  aes.setAAD(Buffer.from(options.aad ?? 'sf1|5:alice|7:c-alice', 'utf8'));
  const body = Buffer.concat([aes.update(SECRET), aes.final()]);
  return [
    'sf1',
    'k1',
    iv.toString('base64url'),
    body.toString('base64url'),
    aes.getAuthTag().toString('base64url'),
  ].join('.');
}

function withPart(envelope: string, index: number, value: string): string {
  const parts = envelope.split('.');
  parts[index] = value;
  return parts.join('.');
}

describe('SecretCipher', function () {
  describe('when reading an envelope written to the documented format', function () {
    it('S6: decrypts it, with the AAD binding user and credential by length-prefixed ids', function () {
      expect(cipher().decrypt(handMade(), BINDING)).to.deep.equal(SECRET);
    });

    it('S6: refuses one whose AAD lacks the version or the length prefixes', function () {
      for (const aad of ['|5:alice|7:c-alice', 'sf1|alice|c-alice', 'sf2|5:alice|7:c-alice'])
        expect(() => cipher().decrypt(handMade({ aad }), BINDING), aad).to.throw(
          DecryptionError,
          FAILED_AUTHENTICATION,
        );
    });
  });

  describe('when the version is not sf1', function () {
    for (const version of ['sf2', 'sf0', 'SF1', '']) {
      it(`S6: refuses a real envelope relabelled "${version}" before decrypting`, function () {
        const relabelled = withPart(cipher().encrypt(SECRET, BINDING), 0, version);
        expect(() => cipher().decrypt(relabelled, BINDING)).to.throw(DecryptionError, NOT_AN_ENVELOPE);
        expect(() => envelopeKeyId(relabelled)).to.throw(DecryptionError, NOT_AN_ENVELOPE);
        expect(() => cipher().needsReencryption(relabelled)).to.throw(DecryptionError, NOT_AN_ENVELOPE);
      });
    }
  });

  describe('when the envelope has another number of parts', function () {
    it('S6: refuses a real envelope with a sixth part', function () {
      const envelope = `${cipher().encrypt(SECRET, BINDING)}.AAAA`;
      expect(() => cipher().decrypt(envelope, BINDING)).to.throw(DecryptionError, NOT_AN_ENVELOPE);
    });

    it('S6: refuses four parts and a value that is not a string', function () {
      const four = cipher().encrypt(SECRET, BINDING).split('.').slice(0, 4).join('.');
      expect(() => cipher().decrypt(four, BINDING)).to.throw(DecryptionError, NOT_AN_ENVELOPE);
      expect(() => envelopeKeyId(null as unknown as string)).to.throw(DecryptionError, NOT_AN_ENVELOPE);
    });
  });

  describe('when the IV or tag has the wrong length', function () {
    for (const bytes of [11, 13, 16]) {
      it(`S6: refuses an IV of ${bytes} bytes as malformed, even one the AAD and tag would accept`, function () {
        // AES-GCM accepts IVs of any length, so only the length check stops this one.
        const envelope = handMade({ iv: Buffer.alloc(bytes, 1) });
        expect(() => cipher().decrypt(envelope, BINDING)).to.throw(DecryptionError, MALFORMED);
        expect(() => envelopeKeyId(envelope)).to.throw(DecryptionError, MALFORMED);
      });
    }

    for (const bytes of [12, 15, 17]) {
      it(`S6: refuses a tag of ${bytes} bytes as malformed, with a correct IV`, function () {
        const envelope = cipher().encrypt(SECRET, BINDING);
        const tag = Buffer.from(envelope.split('.')[4], 'base64url');
        const resized = Buffer.concat([tag, Buffer.alloc(1)]).subarray(0, bytes);
        expect(() => cipher().decrypt(withPart(envelope, 4, resized.toString('base64url')), BINDING)).to.throw(
          DecryptionError,
          MALFORMED,
        );
      });
    }
  });

  describe('when an envelope is well formed', function () {
    it('S6: reads the key id without decrypting, and a tampered body still fails authentication', function () {
      const envelope = cipher().encrypt(SECRET, BINDING);
      expect(envelopeKeyId(envelope)).to.equal('k1');
      const body = Buffer.from(envelope.split('.')[3], 'base64url');
      body[body.length - 1] ^= 0x80;
      const tampered = withPart(envelope, 3, body.toString('base64url'));
      expect(() => cipher().decrypt(tampered, BINDING)).to.throw(DecryptionError, FAILED_AUTHENTICATION);
      // The crypto error is kept as the cause, for the operator's log; it is never sent to a client.
      expect(() => cipher().decrypt(tampered, BINDING))
        .to.throw(DecryptionError)
        .with.property('cause')
        .that.is.instanceOf(Error);
    });
  });
});
