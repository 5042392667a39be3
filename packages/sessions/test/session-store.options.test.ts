/**
 * SessionStore setup and argument checks: bad options fail at construction, bad arguments fail
 * before any backend call, and a pruning fault after a write is reported without failing the write.
 */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { SessionStore, type SessionBackend, type StoredSession } from '../src';

chai.use(chaiAsPromised);
const { expect } = chai;

/** A backend that records which methods ran and fails pruning as told. */
function recordingBackend(pruneFault: Error | null = null): SessionBackend & { calls: string[] } {
  const calls: string[] = [];
  const none = async (): Promise<StoredSession[]> => [];
  return {
    calls,
    read: async () => null,
    write: async () => void calls.push('write'),
    touch: async () => false,
    revoke: async () => false,
    listUserSessions: async () => (calls.push('list'), []),
    revokeUserSessions: async () => (calls.push('revokeUser'), 0),
    pruneExpired: async () => {
      calls.push('prune');
      if (pruneFault) throw pruneFault;
      return 0;
    },
    readAll: none,
    count: async () => 0,
    revokeAll: async () => 0,
  };
}

describe('SessionStore', function () {
  describe('when constructed with bad options', function () {
    it('throws a RangeError at setup, not at the first request', function () {
      const backend = recordingBackend();
      expect(() => new SessionStore(backend, { lifetime: { idleMinutes: 1 }, touchIntervalMs: 60_000 })).to.throw(
        RangeError,
        /touchIntervalMs must be shorter than the idle timeout/,
      );
      expect(() => new SessionStore(backend, { lifetime: { maxHours: -1 } })).to.throw(RangeError, /maxHours/);
      expect(() => new SessionStore(backend, { browserSessionTtlMs: 0 })).to.throw(RangeError, /browserSessionTtlMs/);
      expect(() => new SessionStore(backend, { pruneBatchSize: 0 })).to.throw(RangeError, /pruneBatchSize/);
      expect(() => new SessionStore(backend, { pruneIntervalMs: 1.5 })).to.throw(RangeError, /pruneIntervalMs/);
    });
  });

  describe('when called with bad arguments', function () {
    it('refuses them before reaching the backend', async function () {
      const backend = recordingBackend();
      const store = new SessionStore(backend, { pruneIntervalMs: 0 });
      await expect(store.listSessions('42', { limit: 0 })).to.be.rejectedWith(RangeError, /limit/);
      await expect(store.listSessions('')).to.be.rejectedWith(TypeError, /user id/);
      await expect(store.revokeOtherSessions(Number.NaN, 'sid')).to.be.rejectedWith(TypeError, /user id/);
      await expect(store.pruneExpired({ batchSize: 0 })).to.be.rejectedWith(RangeError, /batchSize/);
      await expect(store.set('sid', { passport: { user: 'x'.repeat(256) } })).to.be.rejectedWith(RangeError);
      expect(backend.calls).to.deep.equal([]);
    });
  });

  describe('when pruning after a write fails', function () {
    it('reports the fault, keeps the write, and tries again at the next write', async function () {
      const fault = new Error('lock wait timeout');
      const backend = recordingBackend(fault);
      const reported: unknown[] = [];
      const store = new SessionStore(backend, { pruneIntervalMs: 60_000, onPruneError: (e) => reported.push(e) });
      await store.set('sid-1', { n: 1 });
      await store.set('sid-2', { n: 2 });
      expect(reported).to.deep.equal([fault, fault]);
      expect(backend.calls).to.deep.equal(['write', 'prune', 'write', 'prune']);
    });
  });
});
