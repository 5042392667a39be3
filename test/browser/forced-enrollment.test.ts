/**
 * Requiring 2FA (S36) walked in a real browser on both example sites, started with
 * `TWO_FACTOR_REQUIRED=owners` and no grace (`TWO_FACTOR_GRACE_DAYS=0`): the owner signs in, is sent
 * from the client area to the enrollment start with the reason, sets 2FA up as the help article
 * shows, and reaches the client area at once, in the same session. Every page on the way is checked
 * with axe at a desktop and a phone width; screenshots go to test/.tmp/screenshots/<site>/.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { awayFromStepBoundary, codeForStep, currentStep, REAL_CLOCK } from '@secondfactor/test-utils';
import * as chai from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityAudit } from '../support/accessibility-audit';
import { formatViolations } from '../support/axe';
import { launchChromiumOrSkip } from '../support/browser';
import { makeDataDir, SITE_NAMES, SITES, SiteProcess, TMP_DIR } from '../support/site-process';

const { expect } = chai;

const OWNER = { name: 'Ada', email: 'ada@example.com', password: 'lovelace-demo' };

for (const siteName of SITE_NAMES) {
  describe(`${SITES[siteName].label} in a browser, requiring 2FA of owners`, function () {
    this.timeout(120_000);
    const dir = resolve(TMP_DIR, 'screenshots', siteName);
    const accessibility = accessibilityAudit(dir);
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let site: SiteProcess;
    let dataDir: string;

    before(async function () {
      browser = await launchChromiumOrSkip(this);
      mkdirSync(dir, { recursive: true });
      dataDir = makeDataDir(`forced-enrollment-${siteName}`);
      site = await SiteProcess.start({
        site: siteName,
        databaseUrl: `sqlite:${resolve(dataDir, 'billing.sqlite')}`,
        dataDir,
        name: `forced-enrollment-${siteName}`,
        env: { SEED_DEMO: '1', TWO_FACTOR_REQUIRED: 'owners', TWO_FACTOR_GRACE_DAYS: '0' },
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
      await browser?.close();
      await site?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('S36: after the deadline the owner is sent to enrollment, sets 2FA up, and reaches the client area at once', async () => {
      await page.goto(`${site.url}/login`);
      await page.getByLabel('Email address').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.locator('main').getByRole('button', { name: 'Login' }).click();
      await page.waitForURL(/\/account\/security\/two-factor$/);
      expect(await page.locator('.sf-required').textContent()).to.contain(
        'Your account requires two-factor authentication, and the time to set it up has run out.',
      );
      await accessibility.check(page, 'Enrollment required', 's36-01-enrollment-required');

      await page.goto(`${site.url}/clientarea`);
      await page.waitForURL(/\/account\/security\/two-factor$/);

      await page.getByRole('button', { name: 'Click here to enable' }).click();
      await accessibility.check(page, 'Get Started under the policy');
      await page.getByRole('button', { name: 'Get Started' }).click();
      const secret = ((await page.locator('.sf-secret').textContent()) ?? '').replace(/\s+/g, '');
      expect(secret).to.match(/^[A-Z2-7]{32}$/);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await awayFromStepBoundary(REAL_CLOCK, 5000);
      await page.getByLabel('Six-digit code').fill(codeForStep(secret, currentStep(REAL_CLOCK)));
      await page.getByRole('button', { name: 'Confirm' }).first().click();
      expect((await page.locator('main').textContent()) ?? '').to.contain('set up successfully');
      await accessibility.check(page, 'Enrolled under the policy', 's36-02-enrolled');

      // No sign-out, no second login: the same session reaches the client area now.
      await page.goto(`${site.url}/clientarea`);
      await page.waitForURL(/\/clientarea$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('Welcome back, Ada');
      expect(await page.locator('.enrollment-banner').count()).to.equal(0);
      await accessibility.check(page, 'Client area after enrolling', 's36-03-client-area');
    });

    it('finds no WCAG 2.1 A/AA violation on the forced-enrollment pages at 1280×800 and 375×812', () => {
      expect(accessibility.covered.length, 'states checked').to.equal(8);
      expect(accessibility.found.length, `axe found violations:\n${formatViolations(accessibility.found)}`).to.equal(0);
    });
  });
}
