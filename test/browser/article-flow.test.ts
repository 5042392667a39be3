/**
 * The help article (the seed) walked in a real browser, clicking what a person clicks: Security
 * Settings → "Click here to enable" → "Get Started" → barcode and secret key → "Confirm" →
 * Verification Step → "Confirm" → success and the Backup Code. Then the login with a code, the
 * login with the backup code, and a sub-account. Each step's screenshot goes to docs/images/.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import * as chai from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromiumOrSkip } from '../support/browser';
import { makeDataDir, SiteProcess } from '../support/site-process';
import { awayFromStepBoundary, codeForStep, currentStep, sleep, STEP_MS } from '../support/two-factor-flows';

const { expect } = chai;

const IMAGES_DIR = resolve(__dirname, '..', '..', 'docs', 'images');
const OWNER = { name: 'Ada', email: 'ada@example.com', password: 'lovelace-demo' };
const SUB_ACCOUNT = { email: 'grace@example.com', password: 'hopper-demo' };

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(IMAGES_DIR, `${name}.png`), fullPage: true });
}

async function logIn(page: Page, baseUrl: string, credentials: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.locator('main').getByRole('button', { name: 'Login' }).click();
}

async function logOut(page: Page): Promise<void> {
  await page.locator('summary', { hasText: 'Hello,' }).click();
  await page.getByRole('menuitem', { name: 'Logout' }).click();
  await page.waitForURL(/\/login$/);
}

/** Waits until the clock has moved past `step`, so a new code is not a replay of the consumed one (S12). */
async function waitForStepAfter(step: number): Promise<void> {
  while (currentStep() <= step) await sleep(STEP_MS - (Date.now() % STEP_MS) + 200);
  await awayFromStepBoundary(4000);
}

describe('Billing site in a browser', function () {
  this.timeout(120_000);

  describe('when a customer follows the help article', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let site: SiteProcess;
    let dataDir: string;
    let secret = '';
    let backupCode = '';
    let lastStep = 0;

    before(async function () {
      browser = await launchChromiumOrSkip(this);
      mkdirSync(IMAGES_DIR, { recursive: true });
      dataDir = makeDataDir('article-flow');
      // The demo data makes the screenshots look like a real client area.
      site = await SiteProcess.start({
        databaseUrl: `sqlite:${resolve(dataDir, 'billing.sqlite')}`,
        dataDir,
        name: 'article-flow',
        env: { SEED_DEMO: '1' },
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

    it('steps 1-2: logs in and opens Security Settings from the Hello drop-down', async () => {
      await page.goto(`${site.url}/`);
      expect(await page.getByRole('heading', { name: 'Login' }).isVisible()).to.equal(true);
      await screenshot(page, '01-login');
      await logIn(page, site.url, OWNER);
      await page.waitForURL(/\/clientarea$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('Welcome back, Ada');
      expect(await page.locator('#services tbody tr').count()).to.be.greaterThan(0);
      expect(await page.locator('#invoices tbody tr').count()).to.be.greaterThan(0);
      await screenshot(page, '02-client-area');
      await page.locator('summary', { hasText: `Hello, ${OWNER.name}!` }).click();
      await screenshot(page, '03-hello-menu');
      await page.getByRole('menuitem', { name: 'Security Settings' }).click();
      await page.waitForURL(/\/account\/security$/);
      expect(await page.getByRole('heading', { name: 'Two-Factor Authentication' }).isVisible()).to.equal(true);
      await screenshot(page, '04-security-settings');
    });

    it('steps 3-4: "Click here to enable" explains that every login will need a code, with "Get Started"', async () => {
      await page.getByRole('button', { name: 'Click here to enable' }).click();
      const intro = await page.locator('main').textContent();
      expect(intro).to.match(/every time you log in/i);
      expect(intro).to.match(/six-digit code/i);
      await screenshot(page, '05-get-started');
      await page.getByRole('button', { name: 'Get Started' }).click();
    });

    it('steps 5-7: shows a barcode and a secret key, then "Confirm"', async () => {
      expect(await page.locator('.sf-qr svg').isVisible()).to.equal(true);
      const shown = (await page.locator('.sf-secret').textContent()) ?? '';
      secret = shown.replace(/\s+/g, '');
      expect(secret).to.match(/^[A-Z2-7]{32}$/);
      await screenshot(page, '06-barcode-and-secret-key');
      await page.getByRole('button', { name: 'Confirm' }).click();
      expect(await page.getByRole('heading', { name: 'Verification Step' }).isVisible()).to.equal(true);
    });

    it('steps 8-9: takes the six-digit code in the Verification Step field and "Confirm"', async () => {
      await awayFromStepBoundary(5000);
      lastStep = currentStep();
      await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
      await screenshot(page, '07-verification-step');
      await page.getByRole('button', { name: 'Confirm' }).first().click();
    });

    it('step 10: confirms that 2FA is set up and shows the Backup Code', async () => {
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).to.contain('set up successfully');
      backupCode = ((await page.locator('.sf-backup-codes code').first().textContent()) ?? '').trim();
      expect(backupCode).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
      await screenshot(page, '08-backup-code');
      await page.getByRole('link', { name: 'Continue' }).click();
      await page.goto(`${site.url}/account/security`);
      expect(await page.locator('.sf-section').textContent()).to.contain('Two-factor authentication is enabled.');
      await screenshot(page, '09-security-settings-enabled');
    });

    it('asks for the six-digit code after the password at the next login', async () => {
      await logOut(page);
      await logIn(page, site.url, OWNER);
      await page.waitForURL(/\/login\/two-factor$/);
      // The password alone signs nobody in (S20).
      expect(await page.locator('summary', { hasText: 'Hello,' }).count()).to.equal(0);
      await waitForStepAfter(lastStep);
      lastStep = currentStep();
      await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
      await screenshot(page, '10-login-code');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(/\/clientarea$/);
      expect(await page.locator('summary', { hasText: `Hello, ${OWNER.name}!` }).isVisible()).to.equal(true);
    });

    it('logs in with the backup code, shows the reset message and a new backup code once', async () => {
      await logOut(page);
      await logIn(page, site.url, OWNER);
      await page.waitForURL(/\/login\/two-factor$/);
      await page.getByText('Use your backup code').click();
      await page.getByLabel('Backup code').fill(backupCode);
      await screenshot(page, '11-login-backup-code');
      await page.getByRole('button', { name: 'Log in with backup code' }).click();
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).to.contain('Backup codes are valid once only. It will now be reset.');
      const newCode = ((await page.locator('.sf-backup-codes code').first().textContent()) ?? '').trim();
      expect(newCode).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
      expect(newCode).to.not.equal(backupCode);
      await screenshot(page, '12-backup-code-reset');
      await page.getByRole('link', { name: 'Continue' }).click();
      await page.waitForURL(/\/clientarea$/);
      // Shown once: reloading the client area never shows the code again.
      expect(await page.content()).to.not.contain(newCode);
    });

    it('tells a sub-account that two-factor authentication is not available', async () => {
      const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const subPage = await other.newPage();
        await logIn(subPage, site.url, SUB_ACCOUNT);
        await subPage.waitForURL(/\/clientarea$/);
        await subPage.locator('summary', { hasText: 'Hello, Grace!' }).click();
        await subPage.getByRole('menuitem', { name: 'Security Settings' }).click();
        const section = (await subPage.locator('.sf-section').textContent()) ?? '';
        expect(section).to.contain('Two-factor authentication is not available for sub-accounts.');
        expect(await subPage.getByRole('button', { name: 'Click here to enable' }).count()).to.equal(0);
        await screenshot(subPage, '13-sub-account');
      } finally {
        await other.close();
      }
    });
  });
});
