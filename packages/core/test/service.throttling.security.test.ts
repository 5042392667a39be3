import * as chai from 'chai';
import { ConfigurationError, MemoryTwoFactorStore, ThrottledError, type UseStepInput } from '../src';
import {
  codeAt,
  enroll,
  failure,
  makeService,
  PASSWORD,
  success,
  wrongCode,
  type Enrolled,
  type ServiceFixture,
} from './support/service-fixture';

const { expect } = chai;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Fails `count` guesses, waiting out each backoff, as a patient attacker would. */
async function failGuesses(fixture: ServiceFixture, user: Enrolled, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const outcome = failure(
      await fixture.service.verifyCode({ userId: user.userId, code: wrongCode(user.secret, fixture.clock) }),
    );
    expect(['TWO_FACTOR_INVALID_CODE', 'TWO_FACTOR_LOCKED']).to.include(outcome.error.code);
    const record = await fixture.store.findByUserId(user.userId);
    if (record?.backoffUntil) fixture.clock.set(record.backoffUntil.getTime() + 1000);
  }
}

describe('TwoFactorService', function () {
  describe('when an attacker who knows the password guesses codes for a year', function () {
    it('S16: evaluates at most 10 guesses in 365 days, across any number of sessions and IPs, then locks', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'victim');
      const end = fixture.clock.nowMs() + YEAR_MS;
      let evaluated = 0;
      let attempts = 0;
      const statuses = new Set<number>();
      while (fixture.clock.nowMs() < end) {
        attempts += 1;
        // Every attempt is a fresh "session" from a fresh IP; the service keys only on the user.
        const meta = {
          ip: `10.${(attempts >> 16) & 255}.${(attempts >> 8) & 255}.${attempts & 255}`,
          userAgent: `bot-${attempts}`,
        };
        const countBefore = (await fixture.store.findByUserId(user.userId))?.failureCount ?? 0;
        const outcome =
          attempts % 2 === 0
            ? await fixture.service.useBackupCode({ userId: user.userId, backupCode: 'AAAA-BBBB-CCCC-DDDD', meta })
            : await fixture.service.verifyCode({
                userId: user.userId,
                code: wrongCode(user.secret, fixture.clock),
                meta,
              });
        const refused = failure(outcome);
        statuses.add(refused.error.status);
        // A guess was evaluated exactly when it moved the persistent counter.
        if (((await fixture.store.findByUserId(user.userId))?.failureCount ?? 0) > countBefore) evaluated += 1;
        if (refused.error instanceof ThrottledError)
          fixture.clock.advance({ seconds: refused.error.retryAfterSeconds });
        else if (refused.error.status === 423) fixture.clock.advance({ days: 1 });
        else fixture.clock.advance({ seconds: 1 });
      }
      expect([...statuses].sort()).to.deep.equal([401, 423, 429]);
      const counted = fixture.events.filter(
        (e) => (e.type === 'code.failed' || e.type === 'backup_code.failed') && e.reason === 'invalid_code',
      );
      expect(counted.length).to.equal(evaluated);
      expect(evaluated).to.be.at.most(10);
      expect(evaluated).to.equal(10);
      expect(attempts).to.be.greaterThan(365);
      expect(await fixture.service.status(user.userId)).to.include({ locked: true, enabled: true });
      expect((await fixture.store.findByUserId(user.userId))?.failureCount).to.equal(10);
      expect(fixture.events.filter((e) => e.type === 'locked')).to.have.length(1);
    });
  });

  describe('when a correct code arrives during backoff', function () {
    it('S16: refuses it with 429 and Retry-After, does not count it, and accepts it after the wait', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      for (let i = 0; i < 4; i++)
        failure(await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }));
      const before = await fixture.store.findByUserId('u1');
      expect(before?.failureCount).to.equal(4);
      expect(before?.backoffUntil?.getTime()).to.equal(fixture.clock.nowMs() + 2000);

      fixture.clock.advance(1000);
      const refused = failure(
        await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
      );
      expect(refused.error.status).to.equal(429);
      expect(refused.error.code).to.equal('TWO_FACTOR_THROTTLED');
      expect(refused.error.headers).to.deep.equal({ 'Retry-After': '1' });
      expect((refused.error as ThrottledError).retryAfterSeconds).to.equal(1);
      expect(fixture.events.at(-1)).to.include({ type: 'throttled', reason: 'backoff', retryAfterSeconds: 1 });
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(4);

      const backup = failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      expect(backup.error.status).to.equal(429);

      fixture.clock.advance(1000);
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      const after = await fixture.store.findByUserId('u1');
      expect(after?.failureCount).to.equal(0);
      expect(after?.backoffUntil).to.equal(null);
    });

    it('S16: refuses a password re-authentication during backoff too', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      for (let i = 0; i < 4; i++)
        failure(await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }));
      const outcome = failure(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(outcome.error.status).to.equal(429);
      expect((await fixture.service.status('u1')).enabled).to.equal(true);
    });
  });

  describe('when the factor is locked', function () {
    async function lockedUser(): Promise<{ fixture: ServiceFixture; user: Enrolled }> {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      await failGuesses(fixture, user, 10);
      expect((await fixture.service.status('u1')).locked).to.equal(true);
      return { fixture, user };
    }

    it('S16: refuses a correct code and a correct backup code with 423, uncounted', async function () {
      const { fixture, user } = await lockedUser();
      fixture.clock.advance({ days: 30 });
      for (const outcome of [
        await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
        await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }),
      ]) {
        expect(failure(outcome).error.status).to.equal(423);
        expect(failure(outcome).error.code).to.equal('TWO_FACTOR_LOCKED');
      }
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(10);
      expect(fixture.events.filter((e) => e.type === 'locked.attempt')).to.have.length(2);
    });

    it('S16: emits locked exactly once, with the failure count, and it is notifiable', async function () {
      const { fixture } = await lockedUser();
      await fixture.service.verifyCode({ userId: 'u1', code: '000000' });
      const locked = fixture.events.filter((e) => e.type === 'locked');
      expect(locked).to.have.length(1);
      expect(locked[0]).to.include({ userId: 'u1', failureCount: 10 });
    });

    it('S16: an admin unlock lifts it, is audited, and the user signs in', async function () {
      const { fixture, user } = await lockedUser();
      const outcome = success(
        await fixture.service.adminUnlock({ userId: 'u1', actorId: 'support-7', meta: { ip: '192.0.2.1' } }),
      );
      expect(outcome.wasLocked).to.equal(true);
      expect(fixture.events.at(-1)).to.include({
        type: 'unlocked',
        userId: 'u1',
        reason: 'admin',
        actorId: 'support-7',
        ip: '192.0.2.1',
      });
      expect(await fixture.store.findByUserId('u1')).to.include({
        failureCount: 0,
        lockedAt: null,
        backoffUntil: null,
      });
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
    });

    it('S16: a host-approved recovery lifts it and the user signs in', async function () {
      const { fixture, user } = await lockedUser();
      expect(success(await fixture.service.unlockAfterRecovery({ userId: 'u1' })).wasLocked).to.equal(true);
      expect(fixture.events.at(-1)).to.include({ type: 'unlocked', reason: 'recovery' });
      expect(fixture.events.at(-1)?.actorId).to.equal(undefined);
      success(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
    });

    it('S16, S29: password re-authentication counts toward the same lock, and the locking guess gets 423', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      await failGuesses(fixture, user, 9);
      const outcome = failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: 'guess' }));
      expect(outcome.error.code).to.equal('TWO_FACTOR_LOCKED');
      expect((await fixture.service.status('u1')).locked).to.equal(true);
      expect(fixture.events.filter((e) => e.type === 'locked')).to.have.length(1);
    });
  });

  describe('when a parallel failure locks the factor while a backup code is being checked', function () {
    it('S16: the lock holds: the correct backup code is refused and stays unused', async function () {
      // Default scrypt cost: the check takes long enough for the lock to land in between.
      const fixture = makeService({ scrypt: {} });
      const user = await enroll(fixture, 'u1');
      const record = await fixture.store.findByUserId('u1');
      if (!record) throw new Error('not enrolled');
      const attempt = fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] });
      // Let the attempt pass the lock gate and start hashing, then lock as a parallel request would.
      await new Promise((resolve) => setImmediate(resolve));
      await fixture.store.recordFailure({
        credentialId: record.id,
        now: fixture.clock.now(),
        decide: () => ({ backoffUntil: null, lock: true }),
      });
      const outcome = failure(await attempt);
      expect(outcome.error.code).to.equal('TWO_FACTOR_LOCKED');
      expect(await fixture.service.status('u1')).to.include({ locked: true, backupCodesRemaining: 1 });
      expect(fixture.events.map((e) => e.type)).to.not.include('backup_code.used');
    });
  });

  describe('when wrong guesses are counted while a correct code is being written', function () {
    it('S16: the correct code of a parallel burst is void, so a burst is worth one guess, not one per request', async function () {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      // A store whose useStep waits, as a database write queued behind parallel failures would.
      class HeldStore extends MemoryTwoFactorStore {
        override async useStep(input: UseStepInput): Promise<boolean> {
          await held;
          return super.useStep(input);
        }
      }
      const store = new HeldStore({ quiet: true });
      const fixture = makeService({ store });
      const user = await enroll(fixture, 'u1');
      const correct = fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) });
      for (let i = 0; i < 3; i++)
        failure(await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }));
      release();
      const outcome = failure(await correct);
      expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      expect(outcome.reason).to.equal('concurrent_failure');
      const record = await store.findByUserId('u1');
      expect(record?.failureCount).to.equal(3);
      expect(fixture.events.at(-1)).to.include({ type: 'code.failed', reason: 'concurrent_failure' });
    });
  });

  describe('when unlocking a factor that is not locked', function () {
    it('answers wasLocked false and emits nothing notifiable', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const count = fixture.events.length;
      expect(success(await fixture.service.adminUnlock({ userId: 'u1', actorId: 'support-7' })).wasLocked).to.equal(
        false,
      );
      expect(fixture.events).to.have.length(count);
    });

    it('answers 409 TWO_FACTOR_NOT_ENABLED for a user without 2FA', async function () {
      const { service } = makeService();
      expect(failure(await service.adminUnlock({ userId: 'nobody', actorId: 'support-7' })).error.code).to.equal(
        'TWO_FACTOR_NOT_ENABLED',
      );
      expect(failure(await service.unlockAfterRecovery({ userId: 'nobody' })).error.code).to.equal(
        'TWO_FACTOR_NOT_ENABLED',
      );
    });
  });

  describe('when configured with maxFailures above 100', function () {
    it('S16: refuses at setup', function () {
      expect(() => makeService({ throttle: { maxFailures: 101 } })).to.throw(ConfigurationError, /maxFailures/);
    });

    it('S16: a custom limit of 3 locks at the 3rd failure', async function () {
      const fixture = makeService({ throttle: { maxFailures: 3, freeAttempts: 1 } });
      const user = await enroll(fixture, 'u1');
      await failGuesses(fixture, user, 3);
      expect((await fixture.service.status('u1')).locked).to.equal(true);
      expect(fixture.service.throttlePolicy.options.maxFailures).to.equal(3);
    });
  });
});
