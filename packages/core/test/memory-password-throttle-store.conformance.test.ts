import { runPasswordThrottleConformanceSuite } from '@secondfactor/test-utils';
import { MemoryPasswordThrottleStore } from '../src';

runPasswordThrottleConformanceSuite('MemoryPasswordThrottleStore', async () => ({
  store: new MemoryPasswordThrottleStore(),
}));
