/**
 * The user journeys the site tests start from, over HTTP only: register, enable 2FA, sign in
 * with the password, and compute codes for the site's time steps. On a site with a fake clock a new
 * code window is one tick; against a real process the real clock is used, and a confirmation
 * waits, when it must, until a step has time left.
 */
import { randomBytes } from 'node:crypto';
import { base32Decode, generateTotp } from '@secondfactor/core';
import { FakeClock } from '../fake-clock';
import { SiteClient, type SiteResponse } from './site-client';

/** TOTP period in milliseconds (S3: 30 s only). */
export const STEP_MS = 30_000;

/** A clock the flows read: a {@link FakeClock}, or {@link REAL_CLOCK} for a site process. */
export interface StepClock {
  nowMs(): number;
}

/**
 * The machine's clock, for sites that run as processes.
 */
export const REAL_CLOCK: StepClock = Object.freeze({ nowMs: () => Date.now() });

/** A registered user and the browser that registered it. */
export interface RegisteredUser {
  email: string;
  password: string;
  name: string;
  /** The browser, fully signed in after registration. */
  browser: SiteClient;
}

/** A user with 2FA on. */
export interface TwoFactorUser extends RegisteredUser {
  /** Unpadded base32 secret from enrollment. */
  secret: string;
  /** Backup codes shown once at confirmation. */
  backupCodes: string[];
  /** The step the confirming code used (consumed, S12). */
  confirmedStep: number;
}

/**
 * A unique e-mail address for a test user.
 */
export function uniqueEmail(label: string): string {
  return `${label.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}-${randomBytes(4).toString('hex')}@example.test`;
}

/**
 * The current TOTP step of a clock (S11: the server's clock is the only one that counts).
 */
export function currentStep(clock: StepClock): number {
  return Math.floor(clock.nowMs() / STEP_MS);
}

/**
 * The code for a given step.
 */
export function codeForStep(secret: string, step: number): string {
  const bytes = base32Decode(secret);
  if (!bytes) throw new Error(`Not a base32 secret: ${secret.length} characters`);
  return generateTotp({ secret: bytes, timeMs: step * STEP_MS });
}

/**
 * A six-digit code that is valid for none of the steps around now (so it is a plain wrong guess).
 */
export function wrongCode(secret: string, clock: StepClock): string {
  const step = currentStep(clock);
  const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((d) => codeForStep(secret, step + d)));
  for (;;) {
    const candidate = String(randomBytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

/**
 * Sleeps.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * On the real clock, waits if needed so that at least `marginMs` remain in the current step: a test
 * that needs "the same step" for several requests does not straddle a boundary. A fake clock does
 * not move by itself, so it never waits.
 */
export async function awayFromStepBoundary(clock: StepClock, marginMs = 5000): Promise<void> {
  if (clock instanceof FakeClock) return;
  const left = STEP_MS - (clock.nowMs() % STEP_MS);
  if (left < marginMs) await sleep(left + 250);
}

/**
 * Throws with the response when the status is not the expected one, so setup failures read well.
 */
export function expectStatus(res: SiteResponse, status: number, what: string): SiteResponse {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res;
}

/**
 * Registers a new primary account; its browser is signed in.
 */
export async function registerUser(baseUrl: string, label: string): Promise<RegisteredUser> {
  const browser = new SiteClient(baseUrl);
  const user = {
    name: `Test ${label}`,
    email: uniqueEmail(label),
    password: `pw-${randomBytes(9).toString('base64url')}`,
  };
  const res = await browser.register(user);
  if (res.status >= 400) throw new Error(`register: got ${res.status}: ${res.text.slice(0, 500)}`);
  return { ...user, browser };
}

/**
 * Starts enrollment on a signed-in browser: `{ secret, otpauthUrl, qrSvg }`.
 */
export async function beginEnrollment(
  browser: SiteClient,
): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  const res = expectStatus(await browser.enroll(), 200, 'enroll');
  return res.body;
}

/**
 * Registers a user and turns 2FA on with the code of the clock's current step.
 */
export async function enableTwoFactorUser(baseUrl: string, label: string, clock: StepClock): Promise<TwoFactorUser> {
  const user = await registerUser(baseUrl, label);
  const { secret } = await beginEnrollment(user.browser);
  await awayFromStepBoundary(clock, 3000);
  const confirmedStep = currentStep(clock);
  const res = expectStatus(await user.browser.confirm(codeForStep(secret, confirmedStep)), 200, 'confirm');
  return { ...user, secret, backupCodes: res.body.backupCodes, confirmedStep };
}

/**
 * A new browser that passed the password step only: it holds a pending second factor.
 */
export async function passwordStep(baseUrl: string, user: { email: string; password: string }): Promise<SiteClient> {
  const browser = new SiteClient(baseUrl);
  const res = expectStatus(await browser.login(user.email, user.password), 200, 'login');
  if (res.body?.status !== 'two-factor-required')
    throw new Error(`login: expected two-factor-required, got ${res.text.slice(0, 300)}`);
  return browser;
}

/**
 * The replay race (S12): `count` browsers pass the password step (spread round-robin over
 * `baseUrls`, so across instances when there are several), then all submit the same valid code
 * at once. Returns the browsers and each answer's status, in order.
 */
export async function submitOneCodeInParallel(
  baseUrls: readonly string[],
  user: TwoFactorUser,
  count = 20,
): Promise<{ browsers: SiteClient[]; statuses: number[] }> {
  const browsers = await Promise.all(
    Array.from({ length: count }, (_, i) => passwordStep(baseUrls[i % baseUrls.length], user)),
  );
  const tokens = await Promise.all(browsers.map((browser) => browser.csrfToken()));
  const code = codeForStep(user.secret, user.confirmedStep + 1);
  const results = await Promise.all(
    browsers.map((browser, i) => browser.challenge({ code }, { headers: { 'x-csrf-token': tokens[i] } })),
  );
  return { browsers, statuses: results.map((res) => res.status) };
}
