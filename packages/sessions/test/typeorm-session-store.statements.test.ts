/**
 * What each operation costs in SQL: every write is one atomic statement (an upsert or a
 * conditional UPDATE), revoking all but the current session is one statement (S33), a fresh
 * session is read without a write, and pruning deletes in bounded batches.
 */
import * as chai from 'chai';
import { sessionHandle } from '../src';
import { forEachBackend, SQL_BACKENDS } from './support/backends';
import { newSessionId, signedIn } from './support/session-store-conformance';
import { StatementCounter } from './support/statement-counter';

const { expect } = chai;
const HOUR_MS = 3_600_000;

describe('TypeOrmSessionStore statements', function () {
  const counter = new StatementCounter();

  forEachBackend(
    SQL_BACKENDS,
    (harness) => {
      describe('when sessions are written, read and touched', function () {
        it('writes with one upsert, reads with one SELECT, and touches with one conditional UPDATE', async function () {
          const { store, clock } = await harness().open();
          const id = newSessionId();
          counter.reset();
          await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
          expect(counter.statements).to.have.length(1);
          expect(counter.statements[0]).to.match(/^INSERT INTO .* (ON DUPLICATE KEY UPDATE|ON CONFLICT)/);
          counter.reset();
          const loaded = await store.get(id);
          await store.touch(id, { ttlMs: HOUR_MS, lastSeenAt: loaded!.lastSeenAt });
          expect(counter.statements, 'a session seen just now costs no write').to.have.length(1);
          expect(counter.statements[0]).to.match(/^SELECT /);
          clock.advance({ minutes: 2 });
          counter.reset();
          expect(await store.touch(id, { ttlMs: HOUR_MS })).to.equal(true);
          expect(counter.statements).to.have.length(1);
          expect(counter.statements[0]).to.match(/^UPDATE .* WHERE id = .* AND last_seen_at <= /);
        });
      });

      describe('when a user revokes sessions', function () {
        it('S33: revokes all but the current session in one statement, and one session in one', async function () {
          const { store } = await harness().open();
          const ids = Array.from({ length: 5 }, () => newSessionId());
          for (const id of ids) await store.set(id, signedIn('42'), { ttlMs: HOUR_MS });
          counter.reset();
          expect(await store.revokeSession('42', sessionHandle(ids[1]))).to.equal(true);
          expect(counter.statements).to.have.length(1);
          counter.reset();
          expect(await store.revokeOtherSessions('42', ids[0])).to.equal(3);
          expect(counter.statements).to.have.length(1);
          expect(counter.statements[0]).to.match(/^UPDATE .* WHERE .*user_id = .* AND id <> /);
        });

        it('refuses a malformed handle without a query', async function () {
          const { store } = await harness().open();
          counter.reset();
          expect(await store.revokeSession('42', 'not-a-handle')).to.equal(false);
          expect(counter.statements).to.deep.equal([]);
        });
      });

      describe('when expired sessions are pruned', function () {
        it('deletes at most batchSize rows per statement and stops after maxBatches', async function () {
          const { store, clock } = await harness().open();
          for (let n = 0; n < 5; n++) await store.set(newSessionId(), signedIn('42'), { ttlMs: 1000 });
          await store.set(newSessionId(), signedIn('42'), { ttlMs: HOUR_MS });
          clock.advance(1000);
          counter.reset();
          expect(await store.pruneExpired({ batchSize: 2, maxBatches: 2 })).to.equal(4);
          expect(counter.statements).to.have.length(2);
          expect(counter.statements.every((sql) => /^DELETE FROM .* LIMIT 2/.test(sql))).to.equal(true);
          counter.reset();
          expect(await store.pruneExpired({ batchSize: 2 })).to.equal(1);
          expect(counter.statements, 'a short batch ends the run').to.have.length(1);
          expect(await store.countSessions()).to.equal(1);
        });
      });
    },
    { logger: counter },
  );
});
