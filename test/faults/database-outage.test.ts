/**
 * The database goes away during the second step (S12, S16): the Koa site on MariaDB
 * and PostgreSQL, the Express site on PostgreSQL, with sessions in the database or in Redis. The
 * site answers a clear 503 with a stable code, does not crash, changes nothing, and recovers when
 * the database returns. Only this test's own TCP proxy is broken: the shared database server is
 * never touched.
 */
import {
  codeForStep,
  credentialOf,
  enableTwoFactorUser,
  passwordStep,
  REAL_CLOCK,
  sleep,
  type SiteClient,
  type SiteResponse,
  type TwoFactorUser,
} from '@secondfactor/test-utils';
import * as chai from 'chai';
import { withHostPort } from '../support/mysql-database';
import { skipWithoutRedis, TEST_REDIS_URL } from '../support/redis';
import { BACKEND_LABELS, prepareStorage, type Backend } from '../support/site-fixture';
import { SiteProcess, SITES, type SiteName } from '../support/site-process';
import { TcpProxy, type TcpProxyMode } from '../support/tcp-proxy';

const { expect } = chai;

/** The stable codes the site may answer a database outage with. */
const UNAVAILABLE_CODES = ['TWO_FACTOR_UNAVAILABLE', 'SERVICE_UNAVAILABLE'];

async function timed(run: () => Promise<SiteResponse>): Promise<{ res: SiteResponse; ms: number }> {
  const started = Date.now();
  const res = await run();
  return { res, ms: Date.now() - started };
}

/** Which site runs on which server. */
const RUNS: ReadonlyArray<{ site: SiteName; backend: Exclude<Backend, 'sqlite'> }> = [
  { site: 'koa', backend: 'mysql' },
  { site: 'koa', backend: 'postgres' },
  { site: 'express', backend: 'postgres' },
];

for (const [{ site: siteName, backend }, sessions] of RUNS.flatMap((run) =>
  (['database', 'redis'] as const).map((s) => [run, s] as const),
)) {
  const server = BACKEND_LABELS[backend];
  const where = sessions === 'redis' ? 'Redis' : 'the database';
  describe(`The ${SITES[siteName].label} when ${server} becomes unreachable (sessions in ${where})`, function () {
    this.timeout(120_000);
    let proxy: TcpProxy;
    let site: SiteProcess;
    let storage: Awaited<ReturnType<typeof prepareStorage>>;
    const db = { sql: <T>(query: string, params?: unknown[]) => storage.db!.query<T>(query, params) };

    before(async function () {
      this.timeout(60_000);
      storage = await prepareStorage(this, backend, `outage_${siteName}_${sessions}`);
      if (sessions === 'redis') await skipWithoutRedis(this);
      proxy = await TcpProxy.start({ targetHost: storage.db!.host, targetPort: storage.db!.port });
      site = await SiteProcess.start({
        site: siteName,
        name: `outage-${siteName}-${backend}-${sessions}`,
        dataDir: storage.dataDir,
        databaseUrl: withHostPort(storage.databaseUrl, '127.0.0.1', proxy.port),
        env: sessions === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {},
      });
    });

    after(async () => {
      await site?.stop();
      await proxy?.close();
      await storage?.cleanup();
    });

    for (const mode of ['refuse', 'reset', 'blackhole'] as TcpProxyMode[]) {
      describe(`when the proxy to ${server} goes to "${mode}" during the second step`, () => {
        let user: TwoFactorUser;
        let browser: SiteClient;

        before(async () => {
          user = await enableTwoFactorUser(site.url, `outage-${backend}-${mode}`, REAL_CLOCK);
          browser = await passwordStep(site.url, user);
        });

        afterEach(async () => proxy.setMode('forward'));

        it('S12, S16: answers 503 with a stable code and no stack, stays up, changes nothing, then recovers', async () => {
          const token = await browser.csrfToken();
          const before = await credentialOf(db, user.email);
          const code = codeForStep(user.secret, user.confirmedStep + 1);

          await proxy.setMode(mode);
          const outage = await timed(() =>
            browser.challenge({ code }, { headers: { 'x-csrf-token': token }, timeoutMs: 30_000 }),
          );
          console.log(`      ${mode}: 503 after ${outage.ms} ms`);
          expect(outage.res.status, outage.res.text).to.equal(503);
          expect(outage.res.body?.error?.code ?? outage.res.text).to.be.oneOf(UNAVAILABLE_CODES);
          expect(outage.res.text).not.to.match(/\n\s+at |ECONN|mysql|sql/i);
          expect(outage.ms, 'a clear answer, not a hang').to.be.below(15_000);
          expect(site.running, 'no crash').to.equal(true);
          expect(await credentialOf(db, user.email), 'no partial state').to.deep.equal(before);

          await proxy.setMode('forward');
          const recoveredAt = Date.now();
          let res: SiteResponse | undefined;
          for (let attempt = 0; attempt < 60; attempt++) {
            res = await browser.challenge({ code }, { headers: { 'x-csrf-token': token }, timeoutMs: 30_000 });
            if (res.status !== 503) break;
            await sleep(250);
          }
          console.log(`      ${mode}: recovered after ${Date.now() - recoveredAt} ms`);
          expect(res?.status, res?.text).to.equal(200);
          expect((await browser.session()).authenticated).to.equal(true);
          const after = await credentialOf(db, user.email);
          expect(after?.last_used_step).to.equal(user.confirmedStep + 1);
          expect(after?.failure_count).to.equal(0);
        });
      });
    }
  });
}
