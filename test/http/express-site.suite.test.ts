/**
 * The site suite of @secondfactor/test-utils against the Express site, built in this process with
 * a fake clock, on SQLite, MariaDB and PostgreSQL.
 */
import { runSiteSuite } from '@secondfactor/test-utils';
import { createApp } from '../../examples/express-site/dist/app';
import { inProcessSite } from '../support/in-process-site';
import { TEST_REDIS_URL } from '../support/redis';

runSiteSuite(inProcessSite('Express site', createApp), { redisUrl: TEST_REDIS_URL });
