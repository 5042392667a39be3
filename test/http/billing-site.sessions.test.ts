/**
 * Server-side sessions of the example site: in the database by default, in Redis with REDIS_URL.
 * They survive a restart and are shared by a second instance on the same store (DESIGN.md §9).
 */
import { randomBytes } from 'node:crypto';
import * as chai from 'chai';
import { skipWithoutRedis, TEST_REDIS_URL } from '../support/redis';
import { prepareStorage } from '../support/site-fixture';
import { SiteProcess, randomKeyEntry } from '../support/site-process';
import { passwordStep, registerUser, enableTwoFactorUser } from '../support/two-factor-flows';

const { expect } = chai;

for (const sessions of ['database', 'redis'] as const) {
  describe(`Billing site sessions (${sessions})`, function () {
    this.timeout(90_000);
    let first: SiteProcess;
    let second: SiteProcess;
    let cleanup: (() => Promise<void>) | undefined;

    before(async function () {
      if (sessions === 'redis') await skipWithoutRedis(this);
      const storage = await prepareStorage(this, 'sqlite', `sessions-${sessions}`);
      cleanup = storage.cleanup;
      const shared = {
        databaseUrl: storage.databaseUrl,
        dataDir: storage.dataDir,
        keys: randomKeyEntry('k1'),
        sessionKeys: randomBytes(32).toString('base64'),
        env: sessions === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {},
      };
      first = await SiteProcess.start({ ...shared, name: `sessions-${sessions}-a` });
      second = await SiteProcess.start({ ...shared, name: `sessions-${sessions}-b` });
    });

    after(async () => {
      await first?.stop();
      await second?.stop();
      await cleanup?.();
    });

    describe('when the site restarts', () => {
      it('keeps a signed-in session, and keeps a pending second factor pending (never signed in)', async () => {
        const user = await registerUser(first.url, `restart-${sessions}`);
        const twoFactorUser = await enableTwoFactorUser(first.url, `restart-2fa-${sessions}`);
        const pending = await passwordStep(first.url, twoFactorUser);
        await first.restart();
        expect((await user.browser.session()).authenticated).to.equal(true);
        expect((await user.browser.get('/clientarea')).status).to.equal(200);
        expect(await pending.session()).to.include({ authenticated: false, twoFactorPending: true });
      });
    });

    describe('when a second instance serves the same cookie', () => {
      it('sees the same sign-in, and a logout on one instance signs out on the other', async () => {
        const user = await registerUser(first.url, `shared-${sessions}`);
        const onSecond = user.browser.clone(second.url);
        const session = await onSecond.session();
        expect(session.authenticated).to.equal(true);
        expect((session.user as { email: string }).email).to.equal(user.email);
        expect((await onSecond.logout()).status).to.equal(200);
        expect((await user.browser.get('/clientarea')).status).to.equal(401);
      });
    });
  });
}
