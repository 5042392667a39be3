import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import type { TwoFactorEvent } from '@secondfactor/core';
import { AuditEventBatch, largestPowerOfTwoAtMost, type AuditBatchErrorDetail } from '../src/audit-event-batch';

chai.use(chaiAsPromised);
const { expect } = chai;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

function event(n: number): TwoFactorEvent {
  return { type: 'code.verified', userId: `u${n}`, at: new Date(Date.UTC(2030, 0, 1, 0, 0, n)) };
}

/** A database stand-in: records each write, can be told to fail or to hold a write open. */
class FakeAuditTable {
  readonly written: TwoFactorEvent[][] = [];
  readonly errors: Array<{ error: unknown; detail: AuditBatchErrorDetail }> = [];
  failing = false;
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  private held: Array<() => void> = [];
  holding = false;

  readonly write = async (events: readonly TwoFactorEvent[]): Promise<void> => {
    this.calls += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
      if (this.failing) throw new Error('database refused the write');
      this.written.push([...events]);
    } finally {
      this.inFlight -= 1;
    }
  };

  readonly onError = (error: unknown, detail: AuditBatchErrorDetail): void => {
    this.errors.push({ error, detail });
  };

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  userIds(): string[] {
    return this.written.flat().map((e) => e.userId);
  }
}

function batchOver(
  table: FakeAuditTable,
  options: Partial<{ delayMs: number; size: number; maxQueued: number }> = {},
): AuditEventBatch {
  return new AuditEventBatch({
    write: table.write,
    onError: table.onError,
    delayMs: 20,
    size: 100,
    maxQueued: 1000,
    ...options,
  });
}

describe('AuditEventBatch', function () {
  describe('when events are queued', function () {
    it('writes nothing at once, then everything queued in one write after the delay', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 30 });
      for (let i = 1; i <= 4; i++) batch.add(event(i));
      expect(table.calls).to.equal(0);
      expect(batch.pending).to.equal(4);
      await eventually(() => table.written.length === 1, 'the batch is written');
      expect(table.userIds()).to.deep.equal(['u1', 'u2', 'u3', 'u4']);
      expect(batch.pending).to.equal(0);
    });

    it('writes a full batch at once, without waiting for the delay', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 60_000, size: 4 });
      for (let i = 1; i <= 5; i++) batch.add(event(i));
      await eventually(() => table.written.length === 1, 'the full batch is written', 1000);
      expect(table.written[0].map((e) => e.userId)).to.deep.equal(['u1', 'u2', 'u3', 'u4']);
      expect(batch.pending).to.equal(1);
    });

    it('writes power-of-two batches, largest first, so few distinct INSERT texts exist (100 → 64, 32, 4)', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 60_000, size: 100 });
      for (let i = 1; i <= 100; i++) batch.add(event(i));
      await batch.flush();
      expect(table.written.map((w) => w.length)).to.deep.equal([64, 32, 4]);
      expect(table.userIds()).to.deep.equal(Array.from({ length: 100 }, (_, i) => `u${i + 1}`));
      expect([1, 2, 3, 4, 7, 8, 100, 1000].map(largestPowerOfTwoAtMost)).to.deep.equal([1, 2, 2, 4, 4, 8, 64, 512]);
    });

    it('runs one write at a time; events queued during a write go in the next one', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 5, size: 2 });
      table.holding = true;
      batch.add(event(1));
      batch.add(event(2));
      await eventually(() => table.calls === 1, 'the first write starts');
      for (let i = 3; i <= 6; i++) batch.add(event(i));
      await sleep(50);
      expect(table.calls, 'no second write while the first is open').to.equal(1);
      table.release();
      await eventually(() => table.userIds().length === 6, 'every event is written');
      expect(table.userIds()).to.deep.equal(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
      expect(table.written.map((w) => w.length)).to.deep.equal([2, 2, 2]);
      expect(table.maxInFlight).to.equal(1);
    });
  });

  describe('when the database refuses writes', function () {
    it('keeps the failed batch, reports it as not dropped, and retries it until it is written once', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 5 });
      table.failing = true;
      batch.add(event(1));
      await eventually(() => table.errors.length >= 1, 'the write fails');
      expect(table.errors[0].detail).to.deep.equal({ events: 1, dropped: false });
      expect(batch.pending).to.equal(1);
      table.failing = false;
      await eventually(() => table.written.length === 1, 'the retry succeeds');
      expect(table.userIds()).to.deep.equal(['u1']);
      expect(batch.pending).to.equal(0);
    });

    it('drops the oldest events past maxQueued and reports each drop', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 60_000, maxQueued: 3 });
      for (let i = 1; i <= 5; i++) batch.add(event(i));
      expect(batch.pending).to.equal(3);
      expect(table.errors.map((e) => e.detail)).to.deep.equal([
        { events: 1, dropped: true },
        { events: 1, dropped: true },
      ]);
      await batch.flush();
      expect(table.userIds()).to.deep.equal(['u3', 'u4', 'u5']);
    });

    it('flush() rejects while refused, keeps the events, and writes them once the database answers', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 60_000 });
      batch.add(event(1));
      batch.add(event(2));
      table.failing = true;
      await expect(batch.flush()).to.be.rejectedWith('database refused the write');
      expect(batch.pending).to.equal(2);
      table.failing = false;
      await batch.flush();
      expect(table.userIds()).to.deep.equal(['u1', 'u2']);
      expect(batch.pending).to.equal(0);
    });

    it('drain() resolves and reports what it could not write as dropped', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 60_000 });
      for (let i = 1; i <= 4; i++) batch.add(event(i));
      table.failing = true;
      await batch.drain();
      expect(batch.pending).to.equal(0);
      expect(table.errors.at(-1)?.detail).to.deep.equal({ events: 4, dropped: true });
      await sleep(30);
      expect(table.calls, 'no retry after the drain').to.equal(1);
    });
  });

  describe('when flush() meets a write already running', function () {
    it('waits for it and then writes the rest, so nothing is written twice', async function () {
      const table = new FakeAuditTable();
      const batch = batchOver(table, { delayMs: 1, size: 2 });
      table.holding = true;
      batch.add(event(1));
      batch.add(event(2));
      await eventually(() => table.calls === 1, 'the timed write starts');
      batch.add(event(3));
      const flushed = batch.flush();
      table.release();
      await flushed;
      expect(table.userIds()).to.deep.equal(['u1', 'u2', 'u3']);
      expect(table.maxInFlight).to.equal(1);
    });
  });

  describe('when the process has nothing else to do', function () {
    it('does not keep it alive for a queued event (the host drains at shutdown)', function () {
      this.timeout(20_000);
      const source = join(__dirname, '..', 'src', 'audit-event-batch.ts');
      const script = `
        const { AuditEventBatch } = require(${JSON.stringify(source)});
        const batch = new AuditEventBatch({ write: async () => {}, onError: () => {}, delayMs: 60000, size: 100, maxQueued: 10 });
        batch.add({ type: 'code.verified', userId: 'u1', at: new Date() });
        console.log('queued ' + String(batch.pending));`;
      const started = Date.now();
      const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        encoding: 'utf8',
        timeout: 15_000,
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      expect(child.stderr).to.equal('');
      expect(child.stdout.trim()).to.equal('queued 1');
      expect(child.status).to.equal(0);
      expect(Date.now() - started, 'exited long before the 60 s delay').to.be.below(15_000);
    });
  });
});
