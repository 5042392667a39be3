import { MemoryTwoFactorStore } from '../src';
import { runStoreConformanceSuite } from '@secondfactor/test-utils';

runStoreConformanceSuite('MemoryTwoFactorStore', async () => ({ store: new MemoryTwoFactorStore({ quiet: true }) }));
