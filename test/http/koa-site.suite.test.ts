/**
 * The site suite of @secondfactor/test-utils against the Koa billing site, built in this process
 * with a fake clock, on SQLite, MariaDB and PostgreSQL.
 */
import { runSiteSuite } from '@secondfactor/test-utils';
import { createApp } from '../../examples/billing-site/dist/app';
import { inProcessSite } from '../support/in-process-site';
import { TEST_REDIS_URL } from '../support/redis';

runSiteSuite(inProcessSite('Koa billing site', createApp), { redisUrl: TEST_REDIS_URL });
