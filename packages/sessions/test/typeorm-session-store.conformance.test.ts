/** The session store conformance suite on every TypeORM database: SQLite, MariaDB and PostgreSQL. */
import { forEachBackend, SQL_BACKENDS } from './support/backends';
import { runSessionStoreConformance } from './support/session-store-conformance';

describe('TypeOrmSessionStore', function () {
  forEachBackend(SQL_BACKENDS, (harness) => runSessionStoreConformance(harness));
});
