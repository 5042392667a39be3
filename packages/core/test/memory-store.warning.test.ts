import * as chai from 'chai';
import { MemoryTwoFactorStore } from '../src';

const { expect } = chai;

describe('MemoryTwoFactorStore', function () {
  describe('when constructed outside tests', function () {
    it('warns once, loudly, that it is for development only', async function () {
      const warnings: Error[] = [];
      const listener = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', listener);
      try {
        new MemoryTwoFactorStore({ quiet: true });
        new MemoryTwoFactorStore();
        new MemoryTwoFactorStore();
        // process.emitWarning delivers on the next tick.
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', listener);
      }
      const ours = warnings.filter((w) => (w as Error & { code?: string }).code === 'SECONDFACTOR_MEMORY_STORE');
      expect(ours).to.have.length(1);
      expect(ours[0].message).to.match(/development and tests only/);
    });
  });
});
