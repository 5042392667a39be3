/**
 * Two processes of an example site on one database and one session store behave as one, for both
 * sites, on MariaDB and on PostgreSQL: a login started on A finishes on B, one code
 * wins once across both, failures counted on A throttle B, a password burst over both gets the
 * checks of one, and a burst of replays over both sends one mail.
 */
import { randomBytes } from 'node:crypto';
import {
  codeForStep,
  credentialOf,
  enableTwoFactorUser,
  mailsTo,
  passwordStep,
  REAL_CLOCK,
  submitOneCodeInParallel,
  wrongCode,
} from '@secondfactor/test-utils';
import * as chai from 'chai';
import { BACKEND_LABELS, prepareStorage, SERVER_BACKENDS } from '../support/site-fixture';
import { randomKeyEntry, SiteProcess, SITE_NAMES, SITES } from '../support/site-process';

const { expect } = chai;

for (const [site, backend] of SITE_NAMES.flatMap((name) => SERVER_BACKENDS.map((b) => [name, b] as const))) {
  describe(`Two ${SITES[site].label} instances on one ${BACKEND_LABELS[backend]}`, function () {
    this.timeout(120_000);
    let a: SiteProcess;
    let b: SiteProcess;
    let storage: Awaited<ReturnType<typeof prepareStorage>>;
    const db = { sql: <T>(query: string, params?: unknown[]) => storage.db!.query<T>(query, params) };

    before(async function () {
      this.timeout(90_000);
      storage = await prepareStorage(this, backend, `cluster-${site}`);
      const shared = {
        site,
        databaseUrl: storage.databaseUrl,
        dataDir: storage.dataDir,
        keys: randomKeyEntry('k1'),
        sessionKeys: randomBytes(32).toString('base64'),
      };
      // One after the other, so the migrations run once.
      a = await SiteProcess.start({ ...shared, name: `cluster-a-${site}-${backend}` });
      b = await SiteProcess.start({ ...shared, name: `cluster-b-${site}-${backend}` });
    });

    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await storage?.cleanup();
    });

    describe('when the password step runs on A', () => {
      it('S20, S23: the second step finishes on B with the same cookie', async () => {
        const user = await enableTwoFactorUser(a.url, 'cluster-handoff', REAL_CLOCK);
        const onA = await passwordStep(a.url, user);
        const onB = onA.clone(b.url);
        expect((await onB.session()).twoFactorPending, 'B sees the pending state A wrote').to.equal(true);
        const res = await onB.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(res.status, res.text).to.equal(200);
        expect((await onB.session()).authenticated).to.equal(true);
        expect((await onB.clone(a.url).session()).authenticated, 'and A sees the signed-in session').to.equal(true);
      });
    });

    describe('when 20 parallel submissions of one code are spread across A and B', () => {
      it('S12: exactly one succeeds', async () => {
        const user = await enableTwoFactorUser(a.url, 'cluster-race', REAL_CLOCK);
        const { statuses } = await submitOneCodeInParallel([a.url, b.url], user);
        expect(
          statuses.filter((status) => status === 200),
          statuses.join(','),
        ).to.have.length(1);
        expect(
          statuses.filter((status) => status === 401),
          statuses.join(','),
        ).to.have.length(19);
      });
    });

    describe('when failures are counted on A', () => {
      it('S16: B throttles the next attempt, even with the correct code', async () => {
        const user = await enableTwoFactorUser(a.url, 'cluster-throttle', REAL_CLOCK);
        const onA = await passwordStep(a.url, user);
        for (let i = 0; i < 4; i++)
          expect((await onA.challenge({ code: wrongCode(user.secret, REAL_CLOCK) })).status).to.equal(401);
        const onB = await passwordStep(b.url, user);
        const res = await onB.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(res.status).to.equal(429);
        expect(Number(res.headers.get('retry-after'))).to.be.within(1, 2);
        expect((await credentialOf(db, user.email))?.failure_count).to.equal(4);
      });
    });

    describe('when a stolen session sends 12 parallel wrong passwords, spread across A and B', () => {
      it('S29: 4 are checked and 8 get 429, as on one instance', async () => {
        const user = await enableTwoFactorUser(a.url, 'cluster-reauth', REAL_CLOCK);
        const onA = user.browser.clone(a.url);
        const onB = user.browser.clone(b.url);
        const headers = { 'x-csrf-token': await onA.csrfToken() };
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => (i % 2 ? onB : onA).disable(`wrong guess ${i}`, { headers })),
        );
        const statuses = results.map((res) => res.status);
        expect(
          statuses.filter((status) => status === 401),
          statuses.join(','),
        ).to.have.length(4);
        expect(
          statuses.filter((status) => status === 429),
          statuses.join(','),
        ).to.have.length(8);
        expect((await credentialOf(db, user.email))?.failure_count).to.equal(4);
      });
    });

    describe('when a used code is replayed in parallel on A and B', () => {
      it('S30: the customer gets one mail, not one per instance or per replay', async () => {
        const user = await enableTwoFactorUser(a.url, 'cluster-replay', REAL_CLOCK);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        expect((await (await passwordStep(a.url, user)).challenge({ code })).status).to.equal(200);
        const browsers = await Promise.all(
          Array.from({ length: 10 }, (_, i) => passwordStep(i % 2 ? b.url : a.url, user)),
        );
        const tokens = await Promise.all(browsers.map((browser) => browser.csrfToken()));
        const results = await Promise.all(
          browsers.map((browser, i) => browser.challenge({ code }, { headers: { 'x-csrf-token': tokens[i] } })),
        );
        expect(results.map((res) => res.status)).to.deep.equal(Array(10).fill(401));
        const replayMails = mailsTo(storage.dataDir, user.email).filter((mail) => mail.event === 'code.replayed');
        expect(replayMails).to.have.length(1);
      });
    });
  });
}
