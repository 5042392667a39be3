/**
 * Counts scrypt evaluations (S18) by wrapping node:crypto's `scrypt` for the duration of a suite.
 * backup-codes.ts reads `scrypt` from the module object at call time (CommonJS output of both tsc
 * and tsx), so the wrapper sees every evaluation.
 */
import * as nodeCrypto from 'node:crypto';

type ScryptFn = typeof nodeCrypto.scrypt;

export interface ScryptCounter {
  /** Evaluations since the last reset. */
  readonly count: number;
  reset(): void;
}

/** Installs the counting wrapper in `before` and restores the original in `after`. */
export function countScryptEvaluations(): ScryptCounter {
  const mutable = require('node:crypto') as { scrypt: ScryptFn };
  const original = mutable.scrypt;
  let count = 0;
  before(function () {
    mutable.scrypt = ((...args: Parameters<ScryptFn>) => {
      count += 1;
      return (original as (...a: unknown[]) => void)(...args);
    }) as ScryptFn;
  });
  after(function () {
    mutable.scrypt = original;
  });
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}
