/**
 * The options of the two-factor routes, shared by every adapter, and their validation. Bad options
 * fail at setup with a message that names the option, never at the first request.
 */
import {
  checkStepUpMaxAge,
  ConfigurationError,
  DEFAULT_STEP_UP_MAX_AGE_SECONDS,
  serviceUserId,
  type TwoFactorService,
  type UserIdKind,
} from '@secondfactor/core';
import type { LoginState } from './request';
import { DEFAULT_TRUSTED_DEVICE_COOKIE } from './trusted-device-cookie';
import type { SecondStepResult } from './second-step';
import { defaultTexts, type TextCatalog, type TextOverrides } from './texts';
import { defaultViews, type Views } from './views';

/**
 * What the routes need of passport-totp's `TotpStrategy`: the typed second step and the login
 * state of a session. Pass the instance you gave to `passport.use`.
 *
 * @example
 * ```ts
 * const strategy: SecondStepStrategy = new TotpStrategy({ service });
 * ```
 */
export interface SecondStepStrategy {
  /** The second step for the login pending in `request.session` (S21). */
  verify(request: SecondStepRequest): Promise<SecondStepResult>;
  /** The login in progress in a session, at the strategy's clock or at `now` (S20). */
  loginState(session: object | null | undefined, now?: Date): LoginState;
  /** The password step's pending login, with the password fingerprint (S20, S22); `beginSecondFactor` needs it. */
  startPendingLogin?(session: object, input: { userId: string | number; user: unknown }): Promise<unknown>;
  /** Drops any pending login; `beginSecondFactor` needs it. */
  clearPendingLogin?(session: object): void;
}

/**
 * The request the routes hand to {@link SecondStepStrategy.verify}, and so to the strategy's
 * `loadUser(userId, req)`.
 *
 * @example
 * ```ts
 * const request: SecondStepRequest = { body: { code: '123456' }, session, ip: '203.0.113.7' };
 * ```
 */
export interface SecondStepRequest {
  body?: unknown;
  session?: object | null;
  ip?: string;
  headers?: Record<string, string | undefined>;
}

/**
 * A page for the layout: the title and the view's HTML fragment (already escaped).
 *
 * @example
 * ```ts
 * const layout = (_req: unknown, page: LayoutPage) => `<html><title>${escapeHtml(page.title)}</title>${page.body}</html>`;
 * ```
 */
export interface LayoutPage {
  title: string;
  body: string;
}

/**
 * The host's answer to a step-up password (S35, users without 2FA): correct, wrong, or throttled
 * (S29: the host counts failures per account, as at its login, and refuses during a backoff).
 *
 * @example
 * ```ts
 * const check: StepUpPasswordCheck = { ok: false, retryAfterSeconds: 4 };
 * ```
 */
export type StepUpPasswordCheck = { ok: true } | { ok: false; retryAfterSeconds?: number };

/**
 * Everything the host supplies. Only `service`, `strategy` and `getUser` are required; `getUserId`
 * and `getAccountName` default to the user's `id` and `email`. `N` is the framework's request
 * (`ctx` for Koa, `req` for Express).
 *
 * @example
 * ```ts
 * const options: TwoFactorWebOptions<{ id: number; login: string }, { user?: { id: number; login: string } }> = {
 *   service,
 *   strategy,
 *   getUser: (req) => req.user,
 *   getAccountName: (user) => user.login,
 * };
 * ```
 */
export interface TwoFactorWebOptions<User = unknown, N = unknown> {
  /** The two-factor service; issuer, `isEligible`, `verifyPassword` and `userIds` are configured on it. */
  service: TwoFactorService<UserIdKind>;
  /** passport-totp's `TotpStrategy`, the instance registered with `passport.use`. */
  strategy: SecondStepStrategy;
  /** The signed-in user as your session knows it (e.g. Passport's), or undefined; a pending second factor is signed out regardless (S20). */
  getUser: (request: N) => User | undefined | null | Promise<User | undefined | null>;
  /** The user's id, a string or a safe integer. Default: `user.id`. */
  getUserId?: (user: User) => string | number;
  /** The account label shown in the authenticator app. Default: `user.email`. */
  getAccountName?: (user: User) => string;
  /**
   * The user's security stamp (S31), read off the user `getUser` already loaded (no query), e.g. a
   * `securityStamp` column the service's `rotateSecurityStamp` hook rotates. With it, a full sign-in
   * records the stamp in the session, and a session whose stamp is no longer the user's is signed
   * out at its next request. Default: no session binding.
   */
  getSecurityStamp?: (user: User) => string | null | undefined;
  /** Where the management router is mounted. Default `/account/security/two-factor`. */
  managementPrefix?: string;
  /** Where the challenge router is mounted. Default `/login/two-factor`. */
  challengePrefix?: string;
  /** Where a completed login goes (a local path). Default `/`. */
  successRedirect?: string;
  /** The host's password login page (a local path). Default `/login`. */
  loginPath?: string;
  /**
   * The host's Security Settings page that embeds the section (a local path): where "Continue" and
   * "Cancel" lead once a setup is done or dropped. Default: `managementPrefix`.
   */
  settingsPath?: string;
  /** Wraps a view in the host's page chrome. Default: a minimal HTML document. */
  layout?: (request: N, page: LayoutPage) => string;
  /** Replaces any of the default views. */
  views?: Partial<Views<N>>;
  /** Replaces any of the default texts (i18n). */
  texts?: TextOverrides;
  /** Largest body the routes parse themselves, when the host has no body parser. Default `'16kb'`. */
  bodyLimit?: string | number;
  /**
   * Refuse state changes when no CSRF middleware ran before the routes. Default true; set false
   * only when the host defends against CSRF another way (S25).
   */
  requireCsrf?: boolean;
  /** The clock for the pending login's expiry. Default: the service's clock. */
  clock?: () => Date;
  /**
   * How long a sign-in or step-up covers sensitive actions, in seconds (S35); the default of
   * `requireRecentSecondFactor`. Default 900.
   */
  stepUpMaxAgeSeconds?: number;
  /**
   * Checks the password of a user without 2FA for a step-up (S35), throttled per account by the
   * host (S29). Without it such users cannot step up, and guarded routes stay closed to them.
   */
  verifyStepUpPassword?: (input: { request: N; user: User; password: string }) => Promise<StepUpPasswordCheck>;
  /**
   * The name of the trusted-device cookie (S34). Default `sf_trusted_device`. Whether browsers can
   * be remembered, and for how long, is the service's `trustedDeviceDays`.
   */
  trustedDeviceCookie?: string;
}

/**
 * The options after validation, with defaults applied and catalogs merged.
 *
 * @example
 * ```ts
 * const resolved: ResolvedOptions = resolveOptions(options);
 * ```
 */
export interface ResolvedOptions<N = unknown> {
  service: TwoFactorService<UserIdKind>;
  strategy: SecondStepStrategy;
  getUser: (request: N) => Promise<unknown>;
  /** The id in the service's form (a safe integer becomes its decimal string); throws a TypeError for a bad one. */
  getUserId: (user: unknown) => string;
  getAccountName: (user: unknown) => string;
  /** The user's security stamp (S31), when the host keeps one. */
  getSecurityStamp: ((user: unknown) => string | null | undefined) | undefined;
  managementPrefix: string;
  challengePrefix: string;
  successRedirect: string;
  loginPath: string;
  settingsPath: string;
  layout: (request: N, page: LayoutPage) => string;
  views: Views<N>;
  texts: TextCatalog;
  bodyLimit: string | number;
  requireCsrf: boolean;
  clock: () => Date;
  stepUpMaxAgeSeconds: number;
  verifyStepUpPassword:
    ((input: { request: N; user: unknown; password: string }) => Promise<StepUpPasswordCheck>) | undefined;
  /** The trusted-device cookie's name (S34). */
  trustedDeviceCookie: string;
  /** Days a remembered browser skips the second factor; 0 hides "Remember this browser" (S34). */
  trustedDeviceDays: number;
}

const KNOWN_OPTIONS = new Set([
  'service',
  'strategy',
  'getUser',
  'getUserId',
  'getAccountName',
  'getSecurityStamp',
  'managementPrefix',
  'challengePrefix',
  'successRedirect',
  'loginPath',
  'settingsPath',
  'layout',
  'views',
  'texts',
  'bodyLimit',
  'requireCsrf',
  'clock',
  'stepUpMaxAgeSeconds',
  'verifyStepUpPassword',
  'trustedDeviceCookie',
]);
const SERVICE_METHODS = [
  'status',
  'beginEnrollment',
  'confirmEnrollment',
  'disable',
  'regenerateBackupCodes',
  'passwordStep',
  'trustDevice',
  'listTrustedDevices',
  'revokeTrustedDevice',
  'revokeTrustedDevices',
] as const;
// A cookie name token (RFC 6265 §4.1.1), kept to characters no framework escapes.
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PREFIX = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+\/?$/;
// A local path only: "//host" and "/\host" would be open redirects.
const LOCAL_PATH = /^\/(?![/\\])[^\s\\]*$/;
const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb)$/i;

// Options of @secondfactor/koa before the second step was typed: say what replaces them.
const REPLACED_OPTIONS: Record<string, string> = {
  passport: 'pass strategy: the TotpStrategy instance you gave to passport.use',
  strategyName: 'pass strategy: the TotpStrategy instance itself',
};

function fail(message: string): never {
  throw new ConfigurationError(`createTwoFactorRouters: ${message}`);
}

function requireFunction(value: unknown, name: string, hint: string): void {
  if (typeof value !== 'function') fail(`${name} must be a function ${hint}.`);
}

function prefix(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !PREFIX.test(value))
    fail(`${name} must be a path such as "${fallback}" (no query, not "/").`);
  return value.replace(/\/$/, '');
}

function localPath(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !LOCAL_PATH.test(value))
    fail(`${name} must be a local path starting with "/", such as "${fallback}".`);
  return value;
}

function serviceIdOf(getUserId: ((user: unknown) => string | number) | undefined): (user: unknown) => string {
  return (user) => {
    const userId = getUserId ? getUserId(user) : (user as { id?: string | number }).id;
    try {
      return serviceUserId(userId as string | number);
    } catch {
      throw new TypeError(
        getUserId
          ? 'getUserId(user) must return a safe integer or a non-empty string.'
          : 'The user has no string or integer id: pass getUserId(user).',
      );
    }
  };
}

function accountNameOf(getAccountName: ((user: unknown) => string) | undefined): (user: unknown) => string {
  if (getAccountName) return getAccountName;
  return (user) => {
    const email = (user as { email?: unknown }).email;
    if (typeof email !== 'string' || !email) throw new TypeError('The user has no email: pass getAccountName(user).');
    return email;
  };
}

function mergeTexts(overrides: unknown): TextCatalog {
  if (overrides === undefined) return defaultTexts;
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides))
    fail('texts must be an object of strings.');
  const merged: Record<string, unknown> = { ...defaultTexts, errors: { ...defaultTexts.errors } };
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaultTexts, key)) fail(`texts.${key} is not a known text.`);
    if (key === 'errors') {
      if (!value || typeof value !== 'object' || Array.isArray(value))
        fail('texts.errors must be an object of strings keyed by error code.');
      for (const [code, message] of Object.entries(value)) {
        if (!Object.hasOwn(defaultTexts.errors, code)) fail(`texts.errors.${code} is not a known error code.`);
        if (typeof message !== 'string' || !message) fail(`texts.errors.${code} must be a non-empty string.`);
        (merged.errors as Record<string, string>)[code] = message;
      }
      continue;
    }
    const expected = typeof defaultTexts[key as keyof TextCatalog];
    if (typeof value !== expected) fail(`texts.${key} must be a ${expected}.`);
    merged[key] = value;
  }
  return merged as unknown as TextCatalog;
}

function mergeViews<N>(overrides: unknown): Views<N> {
  if (overrides === undefined) return defaultViews;
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides))
    fail('views must be an object of view functions.');
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaultViews, key))
      fail(`views.${key} is not a known view (known: ${Object.keys(defaultViews).join(', ')}).`);
    requireFunction(value, `views.${key}`, '(model, request) => string');
  }
  return { ...defaultViews, ...(overrides as Partial<Views<N>>) };
}

function defaultLayout(texts: TextCatalog) {
  return (_request: unknown, page: LayoutPage): string => {
    const title = page.title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const lang = texts.lang.replace(/[^A-Za-z0-9-]/g, '');
    return `<!doctype html>\n<html lang="${lang}">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>\n<body><main>\n${page.body}\n</main></body>\n</html>\n`;
  };
}

/**
 * Validates the options and applies the defaults.
 */
export function resolveOptions<User, N>(options: TwoFactorWebOptions<User, N>): ResolvedOptions<N> {
  if (!options || typeof options !== 'object') fail('options must be an object.');
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(REPLACED_OPTIONS, key)) fail(`the ${key} option is gone: ${REPLACED_OPTIONS[key]}.`);
    if (!KNOWN_OPTIONS.has(key)) fail(`unknown option "${key}".`);
  }
  const { service, strategy } = options;
  if (
    !service ||
    typeof service !== 'object' ||
    SERVICE_METHODS.some((method) => typeof (service as unknown as Record<string, unknown>)[method] !== 'function')
  ) {
    fail('service must be a TwoFactorService from @secondfactor/core.');
  }
  if (!strategy || typeof strategy.verify !== 'function' || typeof strategy.loginState !== 'function')
    fail('strategy must be the TotpStrategy from @secondfactor/passport-totp (the instance given to passport.use).');
  requireFunction(options.getUser, 'getUser', '(request) => the signed-in user or undefined');
  if (options.getUserId !== undefined)
    requireFunction(options.getUserId, 'getUserId', '(user) => string or integer id');
  if (options.getAccountName !== undefined)
    requireFunction(options.getAccountName, 'getAccountName', '(user) => string, e.g. the email');
  if (options.getSecurityStamp !== undefined)
    requireFunction(options.getSecurityStamp, 'getSecurityStamp', '(user) => the stamp stored with the user');
  if (options.layout !== undefined) requireFunction(options.layout, 'layout', '(request, { title, body }) => string');
  if (options.clock !== undefined) requireFunction(options.clock, 'clock', '() => Date');
  if (options.verifyStepUpPassword !== undefined)
    requireFunction(options.verifyStepUpPassword, 'verifyStepUpPassword', '({ request, user, password }) => check');
  let stepUpMaxAgeSeconds = DEFAULT_STEP_UP_MAX_AGE_SECONDS;
  try {
    stepUpMaxAgeSeconds = checkStepUpMaxAge(options.stepUpMaxAgeSeconds ?? DEFAULT_STEP_UP_MAX_AGE_SECONDS);
  } catch (error) {
    fail(`stepUpMaxAgeSeconds: ${(error as Error).message}`);
  }
  const bodyLimit = options.bodyLimit ?? '16kb';
  const validLimit =
    typeof bodyLimit === 'number'
      ? Number.isInteger(bodyLimit) && bodyLimit > 0
      : typeof bodyLimit === 'string' && SIZE.test(bodyLimit);
  if (!validLimit) fail('bodyLimit must be a positive number of bytes or a size such as "16kb".');
  if (options.requireCsrf !== undefined && typeof options.requireCsrf !== 'boolean')
    fail('requireCsrf must be a boolean.');
  const managementPrefix = prefix(options.managementPrefix, 'managementPrefix', '/account/security/two-factor');
  const challengePrefix = prefix(options.challengePrefix, 'challengePrefix', '/login/two-factor');
  if (managementPrefix === challengePrefix) fail('managementPrefix and challengePrefix must differ.');
  const trustedDeviceCookie = options.trustedDeviceCookie ?? DEFAULT_TRUSTED_DEVICE_COOKIE;
  if (typeof trustedDeviceCookie !== 'string' || !COOKIE_NAME.test(trustedDeviceCookie))
    fail('trustedDeviceCookie must be a cookie name of letters, digits, "_" and "-".');
  const texts = mergeTexts(options.texts);
  const getUser = options.getUser as (request: N) => unknown;
  const serviceClock = (service as { clock?: unknown }).clock;
  return {
    service,
    strategy,
    getUser: async (request) => (await getUser(request)) ?? undefined,
    getUserId: serviceIdOf(options.getUserId as ((user: unknown) => string | number) | undefined),
    getAccountName: accountNameOf(options.getAccountName as ((user: unknown) => string) | undefined),
    getSecurityStamp: options.getSecurityStamp as ((user: unknown) => string | null | undefined) | undefined,
    managementPrefix,
    challengePrefix,
    successRedirect: localPath(options.successRedirect, 'successRedirect', '/'),
    loginPath: localPath(options.loginPath, 'loginPath', '/login'),
    settingsPath:
      options.settingsPath === undefined ? managementPrefix : localPath(options.settingsPath, 'settingsPath', '/'),
    layout: options.layout ?? defaultLayout(texts),
    views: mergeViews<N>(options.views),
    texts,
    bodyLimit,
    requireCsrf: options.requireCsrf ?? true,
    clock: options.clock ?? (typeof serviceClock === 'function' ? (serviceClock as () => Date) : () => new Date()),
    stepUpMaxAgeSeconds,
    verifyStepUpPassword: options.verifyStepUpPassword as ResolvedOptions<N>['verifyStepUpPassword'],
    trustedDeviceCookie,
    trustedDeviceDays: service.trustedDeviceDays,
  };
}
