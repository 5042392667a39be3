/** The session store conformance suite on Redis. */
import { forEachBackend } from './support/backends';
import { runSessionStoreConformance } from './support/session-store-conformance';

describe('RedisSessionStore', function () {
  forEachBackend(['redis'], (harness) => runSessionStoreConformance(harness));
});
