import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chai from 'chai';
import { testMachine } from './fixtures/machine-info';
import { mergeParts, readParts, splitIntoParts, writeParts, type StoredPart } from './lib/result-store';
import type { BenchResults, PartSource, ScaleResult } from './lib/results';
import type { MicroResult } from './parts/micro';
import { renderMarkdown, targetRows } from './report';

const { expect } = chai;

const machine = testMachine;

function source(startedAt: string, durationSeconds: number, runs = 5): PartSource {
  return { startedAt, durationSeconds, runs, publishable: true };
}

const micro = (ours: number): MicroResult =>
  ({
    runs: 5,
    rounds: 8,
    rows: [
      {
        id: 'ours-core',
        label: 'ours',
        scenario: 'valid',
        opsPerSecond: ours,
        microsecondsPerVerify: 1e6 / ours,
        ratioToOurs: 1,
      },
    ],
  }) as unknown as MicroResult;

const scale = {
  runs: 1,
  concurrency: 8,
  verifiesPerRun: 500,
  method: 'method',
  databases: [],
  seconds: 42,
} as ScaleResult;

function stored(part: StoredPart['part'], startedAt: string, results: Partial<BenchResults>, extra = {}): StoredPart {
  return { part, source: source(startedAt, 60), machine: machine(startedAt, extra), results };
}

describe('the bench result store', () => {
  describe('when one run measured several parts', () => {
    it('splits them into one stored part each, with their own start and duration', () => {
      const results: BenchResults = {
        machine: machine('2026-11-29T10:00:00.000Z'),
        runs: 5,
        durationSeconds: 300,
        publishable: true,
        micro: micro(100_000),
        guard: { throughputRatio: 1 } as BenchResults['guard'],
        guardWithPolicy: { throughputRatio: 0.99 } as BenchResults['guardWithPolicy'],
        sources: {
          micro: source('2026-11-29T10:00:00.000Z', 40),
          guard: source('2026-11-29T10:01:00.000Z', 120),
        },
      };
      const parts = splitIntoParts(results);
      expect(parts.map((p) => p.part)).to.deep.equal(['micro', 'guard']);
      expect(parts[0].results).to.have.keys(['micro']);
      expect(parts[1].results).to.have.keys(['guard', 'guardWithPolicy']);
      expect(parts[1].source.durationSeconds).to.equal(120);
    });
  });

  describe('when the store holds parts of different runs', () => {
    it('keeps the latest of each part and the sources of each, so a scale-only run keeps the others', () => {
      const merged = mergeParts([
        stored('micro', '2026-11-20T10:00:00.000Z', { micro: micro(1) }),
        stored('micro', '2026-11-28T10:00:00.000Z', { micro: micro(2) }),
        stored('scale', '2026-11-29T23:00:00.000Z', { scale }, { mariadb: '10.11' }),
      ]);
      expect(merged?.micro?.rows[0].opsPerSecond).to.equal(2);
      expect(merged?.scale?.seconds).to.equal(42);
      expect(merged?.sources?.micro?.startedAt).to.equal('2026-11-28T10:00:00.000Z');
      expect(merged?.sources?.scale?.startedAt).to.equal('2026-11-29T23:00:00.000Z');
      // The machine of the newest part, with the server versions of the parts that connected.
      expect(merged?.machine.startedAt).to.equal('2026-11-29T23:00:00.000Z');
      expect(merged?.machine.mariadb).to.equal('10.11');
      expect(merged?.verify).to.equal(undefined);
    });

    it('has nothing to merge when the store is empty', () => {
      expect(mergeParts([])).to.equal(undefined);
    });
  });

  describe('when parts are written and read back', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('replaces only the parts of the new run', () => {
      const first: BenchResults = {
        machine: machine('2026-11-28T10:00:00.000Z'),
        runs: 5,
        durationSeconds: 100,
        publishable: true,
        micro: micro(1),
        scale,
        sources: { micro: source('2026-11-28T10:00:00.000Z', 40), scale: source('2026-11-28T10:01:00.000Z', 60) },
      };
      writeParts(dir, first);
      writeParts(dir, {
        ...first,
        machine: machine('2026-11-29T10:00:00.000Z'),
        micro: micro(3),
        scale: undefined,
        sources: { micro: source('2026-11-29T10:00:00.000Z', 41) },
      });
      const merged = mergeParts(readParts(dir));
      expect(merged?.micro?.rows[0].opsPerSecond).to.equal(3);
      expect(merged?.scale?.seconds).to.equal(42);
      expect(merged?.sources?.scale?.startedAt).to.equal('2026-11-28T10:01:00.000Z');
    });

    it('reads an absent store as empty', () => {
      expect(readParts(path.join(dir, 'missing'))).to.deep.equal([]);
    });
  });

  describe('when the merged results are rendered', () => {
    it('says for each section which run it comes from, and marks a part never run as not run', () => {
      const merged = mergeParts([
        stored('micro', '2026-11-28T10:00:00.000Z', { micro: micro(2) }),
        stored('scale', '2026-11-29T23:00:00.000Z', { scale }),
      ]) as BenchResults;
      const page = renderMarkdown(merged, 'images/performance.svg');
      expect(page).to.include('*From the run of 2026-11-28 (started 10:00 UTC), 5 runs; this part took 60 s.*');
      expect(page).to.include('*From the run of 2026-11-29 (started 23:00 UTC), 5 runs; this part took 60 s.*');
      const rows = targetRows(merged);
      expect(rows.some((r) => r.startsWith('| Guard overhead (part 3) | never run') && r.endsWith('**not run** |'))).to
        .be.true;
      expect(rows.some((r) => r.startsWith('| Micro (part 1)'))).to.be.false;
    });
  });
});
