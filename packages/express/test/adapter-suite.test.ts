/** The adapter suite of @secondfactor/test-utils against the Express host: the HTTP contract (docs/architecture.md#http-contract), as every adapter answers it. */
import { runAdapterSuite } from '@secondfactor/test-utils';
import { createHost } from './support/host';

runAdapterSuite({ name: '@secondfactor/express', createHost });
