/**
 * Damaged backup-code rows (S18, S19): a stored hash that is not in the `scrypt$log2N$r$p$salt$hash`
 * form, or names parameters scrypt refuses or that would cost far more than any configuration
 * allows, is skipped. It never throws (a 500 on every backup-code login) and is never evaluated.
 */
import * as chai from 'chai';
import { BackupCodeHasher, ConfigurationError } from '../src';
import { countScryptEvaluations } from './support/scrypt-counter';
import { enroll, failure, makeService, success } from './support/service-fixture';

const { expect } = chai;
const CODE = 'K7QXM2ZPW9RTHD4N';

type Damage = (parts: { good: string; salt: string; hash: string }) => string;

function params(log2N: string, r: string, p: string): Damage {
  return ({ salt, hash }) => ['scrypt', log2N, r, p, salt, hash].join('$');
}

/** Damaged copies of a good stored hash, each keeping the good salt and hash where it can. */
const DAMAGES: ReadonlyArray<[string, Damage]> = [
  ['an r that exhausts memory', params('12', '999999999', '1')],
  ['a p beyond 2^32', params('12', '8', '99999999999')],
  ['N not below 2^(16·r)', params('16', '1', '1')],
  ['a cost above the limit (N·r·p = 2^24)', params('14', '8', '128')],
  ['log2N 21 with r = 2 (a cost within the limit)', params('21', '2', '1')],
  ['a zero parameter', params('12', '0', '1')],
  ['a fractional parameter', params('12', '8', '1.5')],
  ['a non-numeric parameter', params('12', 'x', '1')],
  ['another algorithm', ({ salt, hash }) => ['bcrypt', '12', '8', '1', salt, hash].join('$')],
  ['a missing part', ({ hash }) => ['scrypt', '12', '8', '1', hash].join('$')],
  ['an extra part', ({ good }) => `${good}$extra`],
  ['a truncated hash', ({ good }) => good.slice(0, -4)],
  ['an empty string', () => ''],
];

function damage(good: string, how: Damage): string {
  const [, , , , salt, hash] = good.split('$');
  return how({ good, salt, hash });
}

function damagedRows(good: string): string[] {
  return DAMAGES.map(([, how]) => damage(good, how));
}

describe('BackupCodeHasher', function () {
  const scrypt = countScryptEvaluations();

  describe('when a stored row is damaged', function () {
    let good: string;

    before(async function () {
      [good] = await new BackupCodeHasher({ log2N: 12 }).hashSet([CODE]);
    });

    for (const [label, how] of DAMAGES) {
      it(`S19: skips ${label} without evaluating it`, async function () {
        const row = damage(good, how);
        expect(row).to.not.equal(good);
        scrypt.reset();
        const hasher = new BackupCodeHasher();
        expect(await hasher.findMatch(CODE, [row, good])).to.equal(good);
        expect(await hasher.findMatch(CODE, [good, row])).to.equal(good);
        expect(await hasher.findMatch(CODE, [row])).to.equal(null);
        // One evaluation per call for the good row, none for the damaged one (S18).
        expect(scrypt.count).to.equal(2);
      });
    }
  });

  describe('when configured with parameters scrypt would refuse or that cost too much', function () {
    for (const [label, params] of [
      ['N not below 2^(16·r)', { log2N: 16, r: 1 }],
      ['N·r·p above 2^23', { log2N: 20, r: 8, p: 2 }],
      ['r beyond the memory limit', { log2N: 14, r: 1024 }],
      ['p 0', { p: 0 }],
      ['log2N 21 with r = 2 (a cost within the limit)', { log2N: 21, r: 2 }],
    ] as const) {
      it(`S18: refuses ${label} at setup`, function () {
        expect(() => new BackupCodeHasher(params)).to.throw(ConfigurationError, /N·r·p at most 2\^23/);
      });
    }

    it('S18: accepts the largest allowed cost and the smallest memory with several lanes', async function () {
      expect(() => new BackupCodeHasher({ log2N: 20, r: 8, p: 1 })).to.not.throw();
      // N = 2, p = 16: the lanes need more memory than N blocks; the limit given to scrypt covers them.
      const hasher = new BackupCodeHasher({ log2N: 1, r: 1, p: 16 });
      const [hash] = await hasher.hashSet([CODE]);
      expect(await hasher.findMatch(CODE, [hash])).to.equal(hash);
    });
  });
});

describe('TwoFactorService', function () {
  describe('when one of the stored backup-code rows is damaged', function () {
    it('S19: the real backup code still signs in, once', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const record = await fixture.store.findByUserId('u1');
      if (!record) throw new Error('not enrolled');
      const [good] = await fixture.store.listUnusedBackupCodeHashes(record.id);
      const rows = damagedRows(good);
      await fixture.store.replaceBackupCodes({
        credentialId: record.id,
        hashes: [...rows, good],
        now: fixture.clock.now(),
      });
      const used = success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      expect(used.method).to.equal('backup_code');
      expect(await fixture.store.listUnusedBackupCodeHashes(record.id)).to.not.include(good);
      const again = failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      expect(again.error.status).to.equal(401);
    });

    it('S19: a wrong backup code answers 401 and is counted, not a thrown 500', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const record = await fixture.store.findByUserId('u1');
      if (!record) throw new Error('not enrolled');
      const [good] = await fixture.store.listUnusedBackupCodeHashes(record.id);
      const rows = damagedRows(good);
      await fixture.store.replaceBackupCodes({
        credentialId: record.id,
        hashes: [good, ...rows],
        now: fixture.clock.now(),
      });
      const outcome = failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: 'AAAA-BBBB-CCCC-DDDD' }));
      expect(outcome.error.status).to.equal(401);
      expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
    });
  });
});
