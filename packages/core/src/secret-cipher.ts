/**
 * AES-256-GCM envelopes for secrets at rest (S6, S40). The envelope is a versioned string
 * `sf1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The AAD binds the ciphertext to its
 * user id and credential id, so a ciphertext copied to another row fails to decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './errors';
import type { Keyring } from './keyring';

const VERSION = 'sf1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Which row a ciphertext belongs to: both go into the AAD. */
export interface SecretBinding {
  userId: string;
  credentialId: string;
}

function aad(binding: SecretBinding): Buffer {
  // Length-prefixed so that ("a:b","c") and ("a","b:c") differ.
  return Buffer.from(
    `${VERSION}|${binding.userId.length}:${binding.userId}|${binding.credentialId.length}:${binding.credentialId}`,
    'utf8',
  );
}

/**
 * Encrypts and decrypts secrets with a {@link Keyring}.
 *
 * @example
 * ```ts
 * const cipher = new SecretCipher(Keyring.parse('k1:' + Buffer.alloc(32, 1).toString('base64')));
 * const envelope = cipher.encrypt(Buffer.from('secret'), { userId: '1', credentialId: 'c1' });
 * const plaintext = cipher.decrypt(envelope, { userId: '1', credentialId: 'c1' });
 * plaintext.equals(Buffer.from('secret')); // true
 * plaintext.fill(0); // once done with it (S40)
 * ```
 */
export class SecretCipher {
  constructor(private readonly keyring: Keyring) {}

  /** The key id new envelopes use. */
  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  /** Encrypts under the current key with a fresh 96-bit IV. */
  encrypt(plaintext: Uint8Array, binding: SecretBinding): string {
    const keyId = this.keyring.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.get(keyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(binding));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [
      VERSION,
      keyId,
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  /**
   * Decrypts an envelope. A missing key throws `KeyUnavailableError`; a wrong key, a tampered
   * envelope or another row's binding throws `DecryptionError`. Never returns unauthenticated bytes.
   * The caller owns the returned buffer and should `fill(0)` it once done (S40).
   */
  decrypt(envelope: string, binding: SecretBinding): Buffer {
    const { keyId, iv, body, tag } = parseEnvelope(envelope);
    const key = this.keyring.get(keyId);
    let plaintext: Buffer | undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(binding));
      decipher.setAuthTag(tag);
      plaintext = decipher.update(body);
      // GCM has no padding: final() only checks the tag and adds no bytes, so the plaintext stays in
      // this one buffer, with no copy left behind for the caller to forget to zero (S40).
      decipher.final();
      return plaintext;
    } catch (cause) {
      // update() hands out the bytes before the tag is checked: a failed check zeroes them (S40).
      plaintext?.fill(0);
      throw new DecryptionError(
        "The stored secret failed authentication: wrong key, tampered data, or another user's ciphertext.",
        { cause },
      );
    }
  }

  /** Whether an envelope was written under a key other than the current one. */
  needsReencryption(envelope: string): boolean {
    return parseEnvelope(envelope).keyId !== this.keyring.currentKeyId;
  }

  /** Decrypts and encrypts again under the current key; the plaintext is zeroed on every path (S40). */
  reencrypt(envelope: string, binding: SecretBinding): string {
    const plaintext = this.decrypt(envelope, binding);
    try {
      return this.encrypt(plaintext, binding);
    } finally {
      plaintext.fill(0);
    }
  }
}

/**
 * Reads the key id of an envelope without decrypting it.
 *
 * @example
 * ```ts
 * const cipher = new SecretCipher(Keyring.parse('k1:' + Buffer.alloc(32, 1).toString('base64')));
 * envelopeKeyId(cipher.encrypt(Buffer.from('secret'), { userId: '1', credentialId: 'c1' })); // 'k1'
 * ```
 */
export function envelopeKeyId(envelope: string): string {
  return parseEnvelope(envelope).keyId;
}

function parseEnvelope(envelope: string): { keyId: string; iv: Buffer; body: Buffer; tag: Buffer } {
  const parts = typeof envelope === 'string' ? envelope.split('.') : [];
  if (parts.length !== 5 || parts[0] !== VERSION)
    throw new DecryptionError('The stored secret is not a recognised envelope.');
  const iv = Buffer.from(parts[2], 'base64url');
  const tag = Buffer.from(parts[4], 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new DecryptionError('The stored secret envelope is malformed.');
  return { keyId: parts[1], iv, body: Buffer.from(parts[3], 'base64url'), tag };
}
