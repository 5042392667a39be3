/**
 * The help article walked in a real browser on both example sites, clicking what a
 * person clicks: Security Settings → "Click here to enable" → "Get Started" → barcode and secret
 * key → "Confirm" → Verification Step → "Confirm" → success and the Backup Code. Then the login with
 * a code, the login with the backup code, and a sub-account. Each step's screenshot goes to
 * test/.tmp/screenshots/<site>/; with UPDATE_SCREENSHOTS=1 the Koa site's replace docs/images/.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { awayFromStepBoundary, codeForStep, currentStep, REAL_CLOCK, sleep } from '@secondfactor/test-utils';
import * as chai from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromiumOrSkip } from '../support/browser';
import { makeDataDir, SITE_NAMES, SITES, SiteProcess, TMP_DIR, type SiteName } from '../support/site-process';

const { expect } = chai;

const OWNER = { name: 'Ada', email: 'ada@example.com', password: 'lovelace-demo' };
const SUB_ACCOUNT = { email: 'grace@example.com', password: 'hopper-demo' };

/** Where a site's screenshots go: the docs only when asked, and only the Koa site's (the docs walk `npm start`). */
function imagesDir(site: SiteName): string {
  return process.env.UPDATE_SCREENSHOTS === '1' && site === 'koa'
    ? resolve(__dirname, '..', '..', 'docs', 'images')
    : resolve(TMP_DIR, 'screenshots', site);
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

for (const siteName of SITE_NAMES) {
  describe(`${SITES[siteName].label} in a browser`, function () {
    this.timeout(120_000);
    const dir = imagesDir(siteName);
    const screenshot = (page: Page, name: string) =>
      page.screenshot({ path: resolve(dir, `${name}.png`), fullPage: true }).then(() => undefined);

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
        mkdirSync(dir, { recursive: true });
        dataDir = makeDataDir(`article-flow-${siteName}`);
        // The demo data makes the screenshots look like a real client area.
        site = await SiteProcess.start({
          site: siteName,
          databaseUrl: `sqlite:${resolve(dataDir, 'billing.sqlite')}`,
          dataDir,
          name: `article-flow-${siteName}`,
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
        await awayFromStepBoundary(REAL_CLOCK, 5000);
        lastStep = currentStep(REAL_CLOCK);
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
        // The next step's code: accepted now (one future step, S11) and never used before (S12).
        lastStep = Math.max(currentStep(REAL_CLOCK), lastStep + 1);
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

      it('S34: ticks "Remember this browser for 30 days"; then the password alone signs in, and Security Settings marks this browser', async () => {
        await logOut(page);
        await logIn(page, site.url, OWNER);
        await page.waitForURL(/\/login\/two-factor$/);
        // A step never used before (S12) that the window already accepts (one future step, S11).
        while (lastStep + 1 > currentStep(REAL_CLOCK) + 1) await sleep(1000);
        lastStep = Math.max(currentStep(REAL_CLOCK), lastStep + 1);
        await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
        const remember = page.getByRole('checkbox', { name: 'Remember this browser for 30 days' }).first();
        await remember.check();
        expect(await remember.isChecked()).to.equal(true);
        await screenshot(page, '14-login-remember-browser');
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.waitForURL(/\/clientarea$/);
        await logOut(page);
        // The password is still asked; the code is not (S34).
        await logIn(page, site.url, OWNER);
        await page.waitForURL(/\/clientarea$/);
        expect(await page.locator('summary', { hasText: `Hello, ${OWNER.name}!` }).isVisible()).to.equal(true);
        await page.goto(`${site.url}/account/security`);
        const devices = (await page.locator('.sf-devices').textContent()) ?? '';
        expect(devices).to.contain('Trusted devices').and.to.contain('This browser');
        await screenshot(page, '15-trusted-devices');
        await page.getByRole('button', { name: 'Revoke all trusted devices' }).click();
        expect((await page.locator('main').textContent()) ?? '').to.contain('One trusted device was revoked.');
        await logOut(page);
        await logIn(page, site.url, OWNER);
        await page.waitForURL(/\/login\/two-factor$/);
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
}
