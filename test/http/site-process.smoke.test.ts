/**
 * One real process per site, started the way the README says (`npm start`, `npm run start:express`:
 * build, then the site on PORT with the embedded SQLite default), on the real clock: a customer
 * registers, turns 2FA on, logs out, and walks password → code → client area. The process's whole
 * output is then searched for the secrets the walk handled (S27).
 */
import { base32Decode } from '@secondfactor/core';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  findSecrets,
  passwordStep,
  rawSecretSpellings,
  REAL_CLOCK,
  type KnownSecret,
} from '@secondfactor/test-utils';
import * as chai from 'chai';
import { makeDataDir, SITE_NAMES, SITES, SiteProcess } from '../support/site-process';

const { expect } = chai;

for (const name of SITE_NAMES) {
  describe(`${SITES[name].label} as a process (smoke)`, function () {
    this.timeout(120_000);
    let site: SiteProcess;

    before(async function () {
      this.timeout(120_000);
      // No DATABASE_URL: the embedded SQLite default, in the data folder.
      site = await SiteProcess.start({
        site: name,
        viaNpmScript: true,
        databaseUrl: '',
        dataDir: makeDataDir(`smoke-${name}`),
        name: `smoke-${name}`,
        env: { DATABASE_URL: undefined },
        readyTimeoutMs: 90_000,
      });
    });

    after(async () => {
      await site?.stop();
    });

    describe('when a customer turns 2FA on and logs in again on the real clock', () => {
      it('S20, S27: the password step leaves only a pending login, the next code signs in, and no secret is printed', async () => {
        expect(site.output()).to.contain(`client area (${name === 'koa' ? 'Koa' : 'Express'}) listening`);
        expect(site.output()).to.contain('SQLite').and.contain('billing.sqlite');
        const user = await enableTwoFactorUser(site.url, `smoke-${name}`, REAL_CLOCK);
        expectStatus(await user.browser.logout(), 200, 'logout');

        const browser = await passwordStep(site.url, user);
        expect((await browser.get('/clientarea')).status, 'the password alone').to.equal(401);
        // The next step's code: accepted now (one future step, S11) and never used before (S12).
        const code = codeForStep(user.secret, Math.max(currentStep(REAL_CLOCK), user.confirmedStep + 1));
        expectStatus(await browser.challenge({ code }), 200, 'code');
        const area = expectStatus(await browser.get('/clientarea', { accept: 'text/html' }), 200, 'client area');
        expect(area.text).to.contain('Welcome back, Test');

        const secrets: KnownSecret[] = [
          { kind: 'totp-secret', value: user.secret },
          ...rawSecretSpellings(user.secret, base32Decode),
          { kind: 'totp-code', value: code },
          { kind: 'password', value: user.password },
          ...user.backupCodes.map((value) => ({ kind: 'backup-code' as const, value })),
        ];
        // Log lines are JSON objects with a time, the request id, the event and its fields.
        const enabled = site
          .output()
          .split('\n')
          .map((line) => line.replace(/^\[std(out|err)\] /, ''))
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((entry) => entry.event === '2fa.enabled');
        expect(enabled).to.include.keys('time', 'requestId', 'user');
        expect(findSecrets({ output: site.output() }, secrets)).to.deep.equal([]);
      });
    });
  });
}
