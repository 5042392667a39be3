/**
 * Headless Debian Chromium through playwright-core, for the browser tests. Without Chromium the
 * suite skips with a printed reason; `REQUIRE_BROWSER=1` (CI) makes that a failure instead.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, offline, sandbox-free headless run in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * In a mocha `before` hook: launches Chromium, or skips the suite with a printed reason when it is
 * missing (fails instead with `REQUIRE_BROWSER=1`).
 */
export async function launchChromiumOrSkip(context: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium).`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
    console.log(`      skipped: ${reason} Set REQUIRE_BROWSER=1 to make this a failure.`);
    context.skip();
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
