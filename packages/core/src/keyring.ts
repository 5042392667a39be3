/** Encryption keys for secrets at rest (S6): ids for rotation, one current key that encrypts. */
import { ConfigurationError, KeyUnavailableError } from './errors';

/** AES-256 keys are 32 bytes. */
export const KEY_BYTES = 32;

/** Options for {@link Keyring}. */
export interface KeyringOptions {
  /** Key id to raw 32-byte key. Ids: 1–32 characters of `[A-Za-z0-9_-]`. */
  keys: Record<string, Uint8Array>;
  /** The id of the key that encrypts; every listed key decrypts. */
  currentKeyId: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A set of AES-256 keys. Validates at construction, so bad configuration fails at start-up.
 *
 * @example
 * ```ts
 * const keyring = Keyring.parse('k2:' + Buffer.alloc(32, 2).toString('base64') + ',k1:' + Buffer.alloc(32, 1).toString('base64'));
 * keyring.currentKeyId; // 'k2' (the first listed)
 * ```
 */
export class Keyring {
  /** The id of the key new ciphertexts use. */
  readonly currentKeyId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(options: KeyringOptions) {
    this.keys = new Map();
    for (const [id, key] of Object.entries(options.keys)) {
      if (!KEY_ID.test(id)) throw new ConfigurationError(`Key id "${id}" must be 1-32 characters of A-Z a-z 0-9 _ -.`);
      if (key.length !== KEY_BYTES)
        throw new ConfigurationError(`Key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}.`);
      this.keys.set(id, Buffer.from(key));
    }
    if (!this.keys.has(options.currentKeyId))
      throw new ConfigurationError(`The current key id "${options.currentKeyId}" is not in the keyring.`);
    this.currentKeyId = options.currentKeyId;
  }

  /**
   * Parses `kid:base64key` pairs separated by commas or whitespace, as held in an environment
   * variable such as `SECONDFACTOR_KEYS`. The first pair is the current key.
   *
   * @example
   * ```ts
   * const keyring = Keyring.parse(process.env.SECONDFACTOR_KEYS ?? '');
   * ```
   */
  static parse(text: string): Keyring {
    const pairs = text.split(/[\s,]+/).filter(Boolean);
    if (pairs.length === 0) throw new ConfigurationError('No keys given: expected "kid:base64key[,kid:base64key…]".');
    const keys: Record<string, Buffer> = {};
    try {
      for (const pair of pairs) {
        const at = pair.indexOf(':');
        if (at <= 0) throw new ConfigurationError('Each key must be written "kid:base64key".');
        const id = pair.slice(0, at);
        if (id in keys) throw new ConfigurationError(`Key id "${id}" is listed twice.`);
        keys[id] = Buffer.from(pair.slice(at + 1), 'base64');
      }
      return new Keyring({ keys, currentKeyId: pairs[0].slice(0, pairs[0].indexOf(':')) });
    } finally {
      // The keyring keeps copies; the decoded key material is not left behind in these buffers (S40).
      for (const key of Object.values(keys)) key.fill(0);
    }
  }

  /** The key with this id, or a {@link KeyUnavailableError}. */
  get(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new KeyUnavailableError(`No key with id "${keyId}" is configured.`);
    return key;
  }

  /** The ids of every configured key. */
  keyIds(): string[] {
    return [...this.keys.keys()];
  }
}
