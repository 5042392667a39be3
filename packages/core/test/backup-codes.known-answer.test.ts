/**
 * Known answers for the backup-code hash (S18): the stored string `scrypt$log2N$r$p$salt$hash`
 * names the parameters, and checking and hashing must use exactly those. The RFC 7914 §12 vectors
 * pin the computation; node's scryptSync, checked against the same vectors, pins what hashSet writes.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { scryptSync } from 'node:crypto';
import { BackupCodeHasher, ConfigurationError } from '../src';

chai.use(chaiAsPromised);
const { expect } = chai;

/** RFC 7914 §12, the first 32 bytes of each 64-byte output (PBKDF2 blocks are independent, so a prefix). */
const RFC7914 = {
  nacl: {
    password: 'password',
    salt: 'NaCl',
    log2N: 10,
    r: 8,
    p: 16,
    hex: 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162',
  },
  sodium: {
    password: 'pleaseletmein',
    salt: 'SodiumChloride',
    log2N: 14,
    r: 8,
    p: 1,
    hex: '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2',
  },
} as const;

type Vector = (typeof RFC7914)[keyof typeof RFC7914];

function stored(vector: Vector, params: { log2N: number; r: number; p: number } = vector): string {
  const salt = Buffer.from(vector.salt).toString('base64url');
  const hash = Buffer.from(vector.hex, 'hex').toString('base64url');
  return `scrypt$${params.log2N}$${params.r}$${params.p}$${salt}$${hash}`;
}

function parse(hash: string): { log2N: number; r: number; p: number; salt: Buffer; hash: Buffer } {
  const match = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(hash);
  if (!match) throw new Error(`not a stored scrypt hash: ${hash}`);
  return {
    log2N: Number(match[1]),
    r: Number(match[2]),
    p: Number(match[3]),
    salt: Buffer.from(match[4], 'base64url'),
    hash: Buffer.from(match[5], 'base64url'),
  };
}

describe('BackupCodeHasher', function () {
  describe('when checking an attempt against a stored hash with known parameters', function () {
    it('S18: node:crypto scrypt gives the RFC 7914 outputs (the reference the other cases rely on)', function () {
      for (const v of Object.values(RFC7914)) {
        const output = scryptSync(v.password, v.salt, 32, { N: 2 ** v.log2N, r: v.r, p: v.p, maxmem: 64 * 1024 ** 2 });
        expect(output.toString('hex'), v.salt).to.equal(v.hex);
      }
    });

    it('S18: matches RFC 7914 N = 2^10, r = 8, p = 16, read from the stored string', async function () {
      const hash = stored(RFC7914.nacl);
      expect(await new BackupCodeHasher().findMatch('password', [hash])).to.equal(hash);
    });

    it('S18: matches RFC 7914 N = 2^14, r = 8, p = 1 (the defaults), whatever the hasher was built with', async function () {
      const hash = stored(RFC7914.sodium);
      expect(await new BackupCodeHasher({ log2N: 4, r: 2, p: 3 }).findMatch('pleaseletmein', [hash])).to.equal(hash);
    });

    it('S18: finds the matching row among rows of different salts and parameters', async function () {
      const rows = [stored(RFC7914.nacl), stored(RFC7914.sodium)];
      const hasher = new BackupCodeHasher();
      expect(await hasher.findMatch('pleaseletmein', rows)).to.equal(rows[1]);
      expect(await hasher.findMatch('password', rows)).to.equal(rows[0]);
      expect(await hasher.findMatch('wrong', rows)).to.equal(null);
    });

    for (const [label, params] of [
      ['N', { log2N: 11, r: 8, p: 16 }],
      ['r', { log2N: 10, r: 4, p: 16 }],
      ['p', { log2N: 10, r: 8, p: 8 }],
    ] as const) {
      it(`S18: refuses the same hash when the stored string names another ${label}`, async function () {
        expect(await new BackupCodeHasher().findMatch('password', [stored(RFC7914.nacl, params)])).to.equal(null);
      });
    }
  });

  describe('when hashing a set with non-default parameters', function () {
    const params = { log2N: 10, r: 4, p: 2 };

    it('S18: writes those parameters and a hash computed with exactly them', async function () {
      const [hash] = await new BackupCodeHasher(params).hashSet(['k7qx-m2zp-w9rt-hd4n']);
      const parsed = parse(hash);
      expect(parsed).to.include(params);
      expect(parsed.salt).to.have.length(16);
      expect(parsed.hash).to.have.length(32);
      // The hash is over the normalised code, with the parameters the string names.
      const expected = scryptSync('K7QXM2ZPW9RTHD4N', parsed.salt, 32, {
        N: 2 ** params.log2N,
        r: params.r,
        p: params.p,
      });
      expect(parsed.hash.toString('hex')).to.equal(expected.toString('hex'));
      const withDefaults = scryptSync('K7QXM2ZPW9RTHD4N', parsed.salt, 32);
      expect(parsed.hash.toString('hex')).to.not.equal(withDefaults.toString('hex'));
    });

    it('refuses to hash a value that is not a backup code, saying so', async function () {
      await expect(new BackupCodeHasher(params).hashSet(['K7QX-M2ZP'])).to.be.rejectedWith(
        ConfigurationError,
        'hashSet was given a code that is not a backup code.',
      );
    });

    it('S18: a hasher with other parameters still checks the set by what each row names', async function () {
      const [hash] = await new BackupCodeHasher(params).hashSet(['K7QX-M2ZP-W9RT-HD4N']);
      expect(await new BackupCodeHasher().findMatch('K7QXM2ZPW9RTHD4N', [hash])).to.equal(hash);
      expect(await new BackupCodeHasher().findMatch('K7QXM2ZPW9RTHD4P', [hash])).to.equal(null);
    });
  });
});
