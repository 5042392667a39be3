/**
 * The help article walked in a real browser on both example sites, clicking what a person clicks:
 * Security Settings → "Click here to enable" → "Get Started" → barcode and secret key → "Confirm" →
 * Verification Step → "Confirm" → success and the Backup Code. Then the login with a code, the login
 * with the backup code, "Confirm it's you" before Payment Methods, and a sub-account. Every page and state on the way is checked with axe-core
 * (WCAG 2.1 A and AA) at 1280×800 and at 375×812, and the walk fails on any violation. Screenshots
 * at both widths go to test/.tmp/screenshots/<site>/; with UPDATE_SCREENSHOTS=1 the Koa site's
 * replace docs/images/.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { awayFromStepBoundary, codeForStep, currentStep, REAL_CLOCK, sleep } from '@secondfactor/test-utils';
import * as chai from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityAudit, VIEWPORTS } from '../support/accessibility-audit';
import { formatViolations } from '../support/axe';
import { launchChromiumOrSkip } from '../support/browser';
import { makeDataDir, SITE_NAMES, SITES, SiteProcess, TMP_DIR, type SiteName } from '../support/site-process';

const { expect } = chai;

const OWNER = { name: 'Ada', email: 'ada@example.com', password: 'lovelace-demo' };
const SUB_ACCOUNT = { email: 'grace@example.com', password: 'hopper-demo' };
const STEP_UP_MAX_AGE_SECONDS = 3;

/** Where a site's screenshots go: the docs only when asked, and only the Koa site's (the docs walk `npm start`). */
function imagesDir(site: SiteName): string {
  return process.env.UPDATE_SCREENSHOTS === '1' && site === 'koa'
    ? resolve(__dirname, '..', '..', 'docs', 'images')
    : resolve(TMP_DIR, 'screenshots', site);
}

/** Lets the pending setup of every user expire now, as ten minutes would (S39). */
function expirePendingSetups(databaseFile: string): void {
  const Database = require('better-sqlite3');
  const db = new Database(databaseFile);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(
      "UPDATE two_factor_credentials SET pending_expires_at = '2000-01-01 00:00:00.000' WHERE state = 'pending'",
    ).run();
  } finally {
    db.close();
  }
}

async function logIn(page: Page, baseUrl: string, credentials: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.locator('main').getByRole('button', { name: 'Login' }).click();
}

async function logOut(page: Page): Promise<void> {
  await page.locator('summary', { hasText: 'Hello,' }).click();
  await page.locator('header').getByRole('button', { name: 'Logout' }).click();
  await page.waitForURL(/\/login$/);
}

async function openSecuritySettings(page: Page): Promise<void> {
  await page.locator('summary', { hasText: 'Hello,' }).click();
  await page.locator('header').getByRole('link', { name: 'Security Settings' }).click();
  await page.waitForURL(/\/account\/security$/);
}

/** The id of the focused element. */
function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate<string | undefined>('document.activeElement?.id');
}

for (const siteName of SITE_NAMES) {
  describe(`${SITES[siteName].label} in a browser`, function () {
    this.timeout(180_000);
    const dir = imagesDir(siteName);
    const accessibility = accessibilityAudit(dir);
    const { found, covered } = accessibility;

    /**
     * One page or state of the walk: axe at both widths (or the ones given), and a screenshot at each
     * when named. A new page or state is one more `await audit(page, '…')` where the walk reaches it.
     */
    const audit = (page: Page, state: string, screenshot?: string, widths = VIEWPORTS): Promise<void> =>
      accessibility.check(page, state, screenshot, widths);

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
          // A short step-up max age, so the walk meets "Confirm it's you" without waiting 15 minutes (S35).
          env: { SEED_DEMO: '1', STEP_UP_MAX_AGE_SECONDS: String(STEP_UP_MAX_AGE_SECONDS) },
        });
        context = await browser.newContext({ viewport: VIEWPORTS[0].size });
        page = await context.newPage();
      });

      after(async () => {
        await context?.close();
        await browser?.close();
        await site?.stop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      });

      it('steps 1-2: logs in and opens Security Settings from the Hello drop-down', async () => {
        await page.goto(`${site.url}/register`);
        expect(await page.getByRole('heading', { name: 'Create your account' }).isVisible()).to.equal(true);
        await audit(page, 'Register');
        await page.goto(`${site.url}/`);
        expect(await page.getByRole('heading', { name: 'Login' }).isVisible()).to.equal(true);
        await audit(page, 'Login', '01-login');
        await logIn(page, site.url, OWNER);
        await page.waitForURL(/\/clientarea$/);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('Welcome back, Ada');
        expect(await page.locator('#services tbody tr').count()).to.be.greaterThan(0);
        expect(await page.locator('#invoices tbody tr').count()).to.be.greaterThan(0);
        await audit(page, 'Client area', '02-client-area');
        // At 375 px the sections sit behind "Menu", a disclosure that needs no script.
        await page.setViewportSize(VIEWPORTS[1].size);
        expect(await page.locator('.main-nav').isVisible()).to.equal(false);
        await page.locator('summary', { hasText: 'Menu' }).click();
        expect(await page.locator('.nav-drawer').getByRole('link', { name: 'Invoices' }).isVisible()).to.equal(true);
        // The disclosure exists at narrow widths only.
        await audit(page, 'Client area with the navigation menu open', '03-navigation-menu', [VIEWPORTS[1]]);
        await page.locator('summary', { hasText: `Hello, ${OWNER.name}!` }).click();
        await audit(page, 'Client area with the Hello menu open', '03-hello-menu');
        await page.locator('header').getByRole('link', { name: 'Security Settings' }).click();
        await page.waitForURL(/\/account\/security$/);
        expect(await page.getByRole('heading', { name: 'Two-Factor Authentication' }).isVisible()).to.equal(true);
        await audit(page, 'Security Settings (2FA off)', '04-security-settings');
      });

      it('steps 3-4: "Click here to enable" explains that every login will need a code, with "Get Started"', async () => {
        await page.getByRole('button', { name: 'Click here to enable' }).click();
        const intro = await page.locator('main').textContent();
        expect(intro).to.match(/every time you log in/i);
        expect(intro).to.match(/six-digit code/i);
        await audit(page, 'Get Started', '05-get-started');
        await page.getByRole('button', { name: 'Get Started' }).click();
      });

      it('steps 5-7: shows a barcode and a secret key, then "Confirm"', async () => {
        expect(await page.locator('.sf-qr svg').isVisible()).to.equal(true);
        const shown = (await page.locator('.sf-secret').textContent()) ?? '';
        secret = shown.replace(/\s+/g, '');
        expect(secret).to.match(/^[A-Z2-7]{32}$/);
        await audit(page, 'Barcode and secret key', '06-barcode-and-secret-key');
      });

      it('S39: a second tab shows the pending setup and the same secret key again', async () => {
        const tab = await context.newPage();
        try {
          await tab.goto(`${site.url}/account/security`);
          expect(await tab.locator('.sf-section').textContent()).to.contain('have not confirmed it yet');
          await audit(tab, 'Security Settings (setup pending)');
          await tab.getByRole('button', { name: 'Show the barcode again' }).click();
          const again = ((await tab.locator('.sf-secret').textContent()) ?? '').replace(/\s+/g, '');
          expect(again).to.equal(secret);
          expect(await tab.locator('main').textContent()).to.contain('This is the same secret key as before.');
          await audit(tab, 'Barcode and secret key shown again');
        } finally {
          await tab.close();
        }
        await page.getByRole('button', { name: 'Confirm' }).click();
        expect(await page.getByRole('heading', { name: 'Verification Step' }).isVisible()).to.equal(true);
      });

      it('steps 8-9: the Verification Step announces a wrong code, and says when the setup expired', async () => {
        await audit(page, 'Verification Step');
        await page.getByLabel('Six-digit code').fill('000000');
        await page.getByRole('button', { name: 'Confirm' }).first().click();
        expect(await page.title()).to.match(/^Error: Verification Step/);
        expect(await focusedId(page)).to.equal('sf-verify-code');
        expect(await page.locator('#sf-verify-error').textContent()).to.contain('The code is not valid.');
        await audit(page, 'Verification Step with a wrong code');
        expirePendingSetups(resolve(dataDir, 'billing.sqlite'));
        await page.goto(`${site.url}/account/security/two-factor?step=verify`);
        expect(await page.locator('main').textContent()).to.contain('This setup expired before it was confirmed');
        await audit(page, 'Verification Step after the setup expired');
        await page.getByRole('button', { name: 'Start again' }).click();
        const shown = ((await page.locator('.sf-secret').textContent()) ?? '').replace(/\s+/g, '');
        expect(shown, 'an expired setup gets a new key').to.not.equal(secret);
        secret = shown;
        await page.getByRole('button', { name: 'Confirm' }).click();
        await awayFromStepBoundary(REAL_CLOCK, 5000);
        lastStep = currentStep(REAL_CLOCK);
        await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
        await audit(page, 'Verification Step with the code typed', '07-verification-step');
        await page.getByRole('button', { name: 'Confirm' }).first().click();
      });

      it('step 10: confirms that 2FA is set up and shows the Backup Code; Continue leads to Security Settings', async () => {
        const main = (await page.locator('main').textContent()) ?? '';
        expect(main).to.contain('set up successfully');
        backupCode = ((await page.locator('.sf-backup-codes code').first().textContent()) ?? '').trim();
        expect(backupCode).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
        await audit(page, 'Backup Code', '08-backup-code');
        await page.getByRole('link', { name: 'Continue' }).click();
        await page.waitForURL(/\/account\/security$/);
        expect(await page.locator('.sf-section').textContent()).to.contain('Two-factor authentication is enabled.');
        await audit(page, 'Security Settings (2FA on)', '09-security-settings-enabled');
      });

      it('asks for the six-digit code after the password at the next login', async () => {
        await logOut(page);
        await logIn(page, site.url, OWNER);
        await page.waitForURL(/\/login\/two-factor$/);
        // The password alone signs nobody in (S20).
        expect(await page.locator('summary', { hasText: 'Hello,' }).count()).to.equal(0);
        await audit(page, 'Challenge');
        await page.getByLabel('Six-digit code').fill('000000');
        await page.getByRole('button', { name: 'Verify' }).click();
        expect(await page.title()).to.match(/^Error: /);
        expect(await focusedId(page)).to.equal('sf-challenge-code');
        await audit(page, 'Challenge with a wrong code');
        await page.goto(`${site.url}/login/two-factor`);
        // The next step's code: accepted now (one future step, S11) and never used before (S12).
        lastStep = Math.max(currentStep(REAL_CLOCK), lastStep + 1);
        await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
        await audit(page, 'Challenge with the code typed', '10-login-code');
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
        await audit(page, 'Challenge with the backup-code form open', '11-login-backup-code');
        await page.getByLabel('Backup code').fill('AAAA-BBBB-CCCC-DDDD');
        await page.getByRole('button', { name: 'Log in with backup code' }).click();
        expect(await focusedId(page)).to.equal('sf-challenge-backup-code');
        expect(await page.locator('#sf-challenge-backup-error').textContent()).to.contain('The code is not valid.');
        await audit(page, 'Challenge with a wrong backup code');
        await page.getByLabel('Backup code').fill(backupCode);
        await page.getByRole('button', { name: 'Log in with backup code' }).click();
        const main = (await page.locator('main').textContent()) ?? '';
        expect(main).to.contain('Backup codes are valid once only, so it has been reset');
        const newCode = ((await page.locator('.sf-backup-codes code').first().textContent()) ?? '').trim();
        expect(newCode).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
        expect(newCode).to.not.equal(backupCode);
        await audit(page, 'Backup code reset', '12-backup-code-reset');
        await page.getByRole('link', { name: 'Continue' }).click();
        await page.waitForURL(/\/clientarea$/);
        // Shown once: reloading the client area never shows the code again.
        expect(await page.content()).to.not.contain(newCode);
      });

      it('S35: asks "Confirm it\'s you" before Payment Methods, confirms once with a code, and returns there', async () => {
        // The sign-in above is older than the site's step-up max age by now.
        await page.waitForTimeout(STEP_UP_MAX_AGE_SECONDS * 1000 + 500);
        await page.locator('summary', { hasText: 'Hello,' }).click();
        await page.locator('header').getByRole('link', { name: 'Payment Methods' }).click();
        await page.waitForURL(/\/account\/security\/two-factor\/step-up\?returnTo=%2Faccount%2Fpayment-methods$/);
        expect(await page.locator('#sf-step-up-title').textContent()).to.equal("Confirm it's you");
        // A step after the login's (S12), within one future step of now (S11).
        while (lastStep > currentStep(REAL_CLOCK)) await page.waitForTimeout(500);
        await awayFromStepBoundary(REAL_CLOCK, 3000);
        lastStep = Math.max(currentStep(REAL_CLOCK), lastStep + 1);
        await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
        await audit(page, "Confirm it's you, code typed", '16-step-up');
        await page.getByRole('button', { name: 'Confirm', exact: true }).click();
        await page.waitForURL(/\/account\/payment-methods$/);
        expect(await page.getByRole('heading', { level: 1 }).first().textContent()).to.contain('Payment Methods');
        await audit(page, 'Payment Methods');
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
        await audit(page, 'Challenge with "Remember this browser" ticked', '14-login-remember-browser');
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
        await audit(page, 'Security Settings with trusted devices and sessions', '15-trusted-devices');
        await page.getByRole('button', { name: 'Revoke all trusted devices' }).click();
        // A remembered browser's sign-in is no verification: revoking them all asks for a code first (S35).
        await page.waitForURL(/\/account\/security\/two-factor\/step-up/);
        while (lastStep + 1 > currentStep(REAL_CLOCK) + 1) await sleep(1000);
        lastStep = Math.max(currentStep(REAL_CLOCK), lastStep + 1);
        await page.getByLabel('Six-digit code').fill(codeForStep(secret, lastStep));
        await page.getByRole('button', { name: 'Confirm', exact: true }).click();
        await page.waitForURL((url) => !url.pathname.endsWith('/step-up'));
        // The form is not replayed: the customer asks again, now within the step-up window.
        await page.goto(`${site.url}/account/security`);
        await page.getByRole('button', { name: 'Revoke all trusted devices' }).click();
        expect((await page.locator('main').textContent()) ?? '').to.contain('One trusted device was revoked.');
        await audit(page, 'Trusted devices revoked');
        await logOut(page);
        await logIn(page, site.url, OWNER);
        await page.waitForURL(/\/login\/two-factor$/);
      });

      it('tells a sub-account that two-factor authentication is not available', async () => {
        const other = await browser.newContext({ viewport: VIEWPORTS[0].size });
        try {
          const subPage = await other.newPage();
          await logIn(subPage, site.url, SUB_ACCOUNT);
          await subPage.waitForURL(/\/clientarea$/);
          await audit(subPage, 'Client area of a sub-account');
          await openSecuritySettings(subPage);
          const section = (await subPage.locator('.sf-section').textContent()) ?? '';
          expect(section).to.contain('Two-factor authentication is not available for sub-accounts.');
          expect(await subPage.getByRole('button', { name: 'Click here to enable' }).count()).to.equal(0);
          await audit(subPage, 'Security Settings (sub-account)', '13-sub-account');
        } finally {
          await other.close();
        }
      });

      it('finds no WCAG 2.1 A/AA violation on any page or state at 1280×800 and 375×812', () => {
        expect(covered.length, 'states checked').to.be.greaterThan(30);
        expect(found.length, `axe found violations:\n${formatViolations(found)}`).to.equal(0);
      });
    });
  });
}
