/**
 * The memory store's conditional writes refuse on a lock or a backoff by themselves, not only
 * through the failure counter (S16): here the caller's expected count is the current one, so
 * nothing but the lock or the backoff can refuse. A backoff ends at `backoffUntil` itself.
 */
import * as chai from 'chai';
import { MemoryTwoFactorStore } from '../src';

const { expect } = chai;
const T0 = new Date('2030-01-01T00:00:00Z');

function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

async function activeStore(): Promise<{ store: MemoryTwoFactorStore; credentialId: string }> {
  const store = new MemoryTwoFactorStore({ quiet: true });
  const credentialId = 'c1';
  await store.savePending({
    id: credentialId,
    userId: 'u1',
    encryptedSecret: 'sf1.k1.x.y.z',
    keyId: 'k1',
    pendingExpiresAt: at(600),
    now: T0,
  });
  await store.activate({ credentialId, step: 100, backupCodeHashes: ['h1', 'h2'], now: T0 });
  return { store, credentialId };
}

describe('MemoryTwoFactorStore', function () {
  describe('when the credential is locked and the caller read the current count', function () {
    it('S16: useStep and consumeBackupCode refuse, changing nothing', async function () {
      const { store, credentialId } = await activeStore();
      await store.recordFailure({ credentialId, now: at(1), decide: () => ({ backoffUntil: null, lock: true }) });
      expect(await store.useStep({ credentialId, step: 101, expectedFailureCount: 1, now: at(2) })).to.equal(false);
      expect(await store.consumeBackupCode({ credentialId, hash: 'h1', expectedFailureCount: 1, now: at(2) })).to.equal(
        false,
      );
      expect(await store.findByUserId('u1')).to.include({ lastUsedStep: 100, failureCount: 1 });
      expect(await store.listUnusedBackupCodeHashes(credentialId)).to.deep.equal(['h1', 'h2']);
    });
  });

  describe('when the credential is in backoff and the caller read the current count', function () {
    it('S16: useStep and consumeBackupCode refuse before backoffUntil and accept at it', async function () {
      const { store, credentialId } = await activeStore();
      await store.recordFailure({ credentialId, now: at(1), decide: () => ({ backoffUntil: at(30), lock: false }) });
      expect(await store.useStep({ credentialId, step: 101, expectedFailureCount: 1, now: at(29) })).to.equal(false);
      expect(
        await store.consumeBackupCode({ credentialId, hash: 'h1', expectedFailureCount: 1, now: at(29) }),
      ).to.equal(false);
      expect(await store.listUnusedBackupCodeHashes(credentialId)).to.deep.equal(['h1', 'h2']);
      expect(
        await store.consumeBackupCode({ credentialId, hash: 'h1', expectedFailureCount: 1, now: at(30) }),
      ).to.equal(true);
      await store.recordFailure({ credentialId, now: at(31), decide: () => ({ backoffUntil: at(60), lock: false }) });
      expect(await store.useStep({ credentialId, step: 101, expectedFailureCount: 1, now: at(60) })).to.equal(true);
      expect(await store.findByUserId('u1')).to.include({ lastUsedStep: 101, failureCount: 0, backoffUntil: null });
    });
  });
});
