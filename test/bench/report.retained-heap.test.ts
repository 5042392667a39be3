import * as chai from 'chai';
import { testMachine } from './fixtures/machine-info';
import type { BenchResults, ScaleResult, VerifyResult } from './lib/results';
import { renderRetainedHeap } from './report';

const { expect } = chai;

const machine = testMachine();

const verify = {
  databases: [
    {
      database: 'mysql',
      memory: {
        heapAfterGcBeforeMiB: 30,
        verifiesServed: 1000,
        load: { seconds: 60, clients: 32, verifies: 9000, rssAfterMiB: 150, heapAfterGcAfterMiB: 33 },
      },
    },
  ],
} as unknown as VerifyResult;

const scale = {
  databases: [{ database: 'mysql', memory: { heapAfterGcStartMiB: 35, heapAfterGcEndMiB: 41, verifiesServed: 5000 } }],
} as unknown as ScaleResult;

describe('the report of part 5 (retained heap)', () => {
  describe('when part 4 and the scale part both ran', () => {
    it('puts the start, the load phase and the scale part of one server side by side', () => {
      const rows = renderRetainedHeap({ machine, runs: 5, durationSeconds: 1, publishable: true, verify, scale });
      expect(rows).to.include(
        '| MariaDB | 30.0 MiB | 33.0 MiB (9,000 in 60 s) | 10,000 | 35.0 MiB | 41.0 MiB | 5,000 |',
      );
    });
  });

  describe('when the scale part never ran', () => {
    it('says so in its columns instead of leaving them empty', () => {
      const results: BenchResults = { machine, runs: 5, durationSeconds: 1, publishable: true, verify };
      expect(renderRetainedHeap(results)).to.include(
        '| MariaDB | 30.0 MiB | 33.0 MiB (9,000 in 60 s) | 10,000 | not run | not run | – |',
      );
    });
  });
});
