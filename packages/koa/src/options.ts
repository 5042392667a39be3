/**
 * The options of {@link createTwoFactorRouters}, and their validation. Bad options fail at setup
 * with a message that names the option, never at the first request.
 */
import { ConfigurationError, type TwoFactorService } from '@secondfactor/core';
import type { Context, Middleware } from 'koa';
import { defaultTexts, type TextCatalog, type TextOverrides } from './texts';
import { defaultViews, type Views } from './views';

/**
 * The part of a koa-passport instance the challenge uses.
 *
 * @example
 * ```ts
 * import koaPassport from 'koa-passport';
 * const passport: PassportLike = koaPassport;
 * ```
 */
export interface PassportLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- passport's custom callback is untyped upstream
  authenticate(strategy: string, callback: (...args: any[]) => unknown): Middleware;
}

/**
 * A page for the layout: the title and the view's HTML fragment (already escaped).
 *
 * @example
 * ```ts
 * const layout = (_ctx: Context, page: LayoutPage) => `<html><title>${escapeHtml(page.title)}</title>${page.body}</html>`;
 * ```
 */
export interface LayoutPage {
  title: string;
  body: string;
}

/**
 * Everything the host supplies. Only `service`, `passport`, `getUser`, `getUserId` and `getAccountName` are required.
 *
 * @example
 * ```ts
 * const options: TwoFactorRoutesOptions<{ id: string; email: string }> = {
 *   service,
 *   passport,
 *   getUser: (ctx) => ctx.state.user,
 *   getUserId: (user) => user.id,
 *   getAccountName: (user) => user.email,
 * };
 * ```
 */
export interface TwoFactorRoutesOptions<User = unknown> {
  /** The two-factor service; issuer, `isEligible` and `verifyPassword` are configured on it. */
  service: TwoFactorService;
  /** The koa-passport instance, with a `TotpStrategy` registered under `strategyName`. */
  passport: PassportLike;
  /** The name the `TotpStrategy` was registered under. Default `'totp'`. */
  strategyName?: string;
  /** The fully signed-in user, or undefined (S8). */
  getUser: (ctx: Context) => User | undefined | null | Promise<User | undefined | null>;
  /** The user's id as the service knows it. */
  getUserId: (user: User) => string;
  /** The account label shown in the authenticator app, e.g. the email. */
  getAccountName: (user: User) => string;
  /** Where the management router is mounted. Default `/account/security/two-factor`. */
  managementPrefix?: string;
  /** Where the challenge router is mounted. Default `/login/two-factor`. */
  challengePrefix?: string;
  /** Where a completed login goes (a local path). Default `/`. */
  successRedirect?: string;
  /** The host's password login page (a local path). Default `/login`. */
  loginPath?: string;
  /** Wraps a view in the host's page chrome. Default: a minimal HTML document. */
  layout?: (ctx: Context, page: LayoutPage) => string;
  /** Replaces any of the default views. */
  views?: Partial<Views>;
  /** Replaces any of the default texts (i18n). */
  texts?: TextOverrides;
  /** Largest body the routes parse themselves, when the host has no body parser. Default `'16kb'`. */
  bodyLimit?: string | number;
  /**
   * Refuse state changes when no CSRF middleware (koa-csrf) ran before the routes. Default true;
   * set false only when the host defends against CSRF another way (S25).
   */
  requireCsrf?: boolean;
  /** The clock used to expire the pending login state. Default `() => new Date()`. */
  clock?: () => Date;
}

/**
 * The options after validation, with defaults applied and catalogs merged.
 *
 * @example
 * ```ts
 * const resolved: ResolvedOptions = resolveOptions(options);
 * ```
 */
export interface ResolvedOptions {
  service: TwoFactorService;
  passport: PassportLike;
  strategyName: string;
  getUser: (ctx: Context) => Promise<unknown>;
  getUserId: (user: unknown) => string;
  getAccountName: (user: unknown) => string;
  managementPrefix: string;
  challengePrefix: string;
  successRedirect: string;
  loginPath: string;
  layout: (ctx: Context, page: LayoutPage) => string;
  views: Views;
  texts: TextCatalog;
  bodyLimit: string | number;
  requireCsrf: boolean;
  clock: () => Date;
}

const KNOWN_OPTIONS = new Set([
  'service',
  'passport',
  'strategyName',
  'getUser',
  'getUserId',
  'getAccountName',
  'managementPrefix',
  'challengePrefix',
  'successRedirect',
  'loginPath',
  'layout',
  'views',
  'texts',
  'bodyLimit',
  'requireCsrf',
  'clock',
]);
const SERVICE_METHODS = ['status', 'beginEnrollment', 'confirmEnrollment', 'disable', 'regenerateBackupCodes'] as const;
const PREFIX = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+\/?$/;
// A local path only: "//host" and "/\host" would be open redirects.
const LOCAL_PATH = /^\/(?![/\\])[^\s\\]*$/;
const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb)$/i;

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

function mergeViews(overrides: unknown): Views {
  if (overrides === undefined) return defaultViews;
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides))
    fail('views must be an object of view functions.');
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaultViews, key))
      fail(`views.${key} is not a known view (known: ${Object.keys(defaultViews).join(', ')}).`);
    requireFunction(value, `views.${key}`, '(model, ctx) => string');
  }
  return { ...defaultViews, ...(overrides as Partial<Views>) };
}

function defaultLayout(texts: TextCatalog) {
  return (_ctx: Context, page: LayoutPage): string => {
    const title = page.title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const lang = texts.lang.replace(/[^A-Za-z0-9-]/g, '');
    return `<!doctype html>\n<html lang="${lang}">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>\n<body><main>\n${page.body}\n</main></body>\n</html>\n`;
  };
}

/**
 * Validates the options and applies the defaults.
 *
 * @example
 * ```ts
 * const resolved = resolveOptions({ service, passport, getUser, getUserId, getAccountName });
 * resolved.managementPrefix; // '/account/security/two-factor'
 * ```
 */
export function resolveOptions<User>(options: TwoFactorRoutesOptions<User>): ResolvedOptions {
  if (!options || typeof options !== 'object') fail('options must be an object.');
  for (const key of Object.keys(options)) if (!KNOWN_OPTIONS.has(key)) fail(`unknown option "${key}".`);
  const { service, passport } = options;
  if (
    !service ||
    typeof service !== 'object' ||
    SERVICE_METHODS.some((method) => typeof (service as unknown as Record<string, unknown>)[method] !== 'function')
  ) {
    fail('service must be a TwoFactorService from @secondfactor/core.');
  }
  if (!passport || typeof passport.authenticate !== 'function')
    fail('passport must be the koa-passport instance (with a TotpStrategy registered).');
  const strategyName = options.strategyName ?? 'totp';
  if (typeof strategyName !== 'string' || !strategyName) fail('strategyName must be a non-empty string.');
  const lookup = (passport as unknown as { _strategy?: (name: string) => unknown })._strategy;
  if (typeof lookup === 'function' && !lookup.call(passport, strategyName)) {
    fail(
      `passport has no strategy named "${strategyName}": call passport.use(new TotpStrategy({ service })) before creating the routers.`,
    );
  }
  requireFunction(options.getUser, 'getUser', '(ctx) => the fully signed-in user or undefined');
  requireFunction(options.getUserId, 'getUserId', '(user) => string');
  requireFunction(options.getAccountName, 'getAccountName', '(user) => string, e.g. the email');
  if (options.layout !== undefined) requireFunction(options.layout, 'layout', '(ctx, { title, body }) => string');
  if (options.clock !== undefined) requireFunction(options.clock, 'clock', '() => Date');
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
  const texts = mergeTexts(options.texts);
  const getUser = options.getUser as (ctx: Context) => unknown;
  return {
    service,
    passport,
    strategyName,
    getUser: async (ctx) => (await getUser(ctx)) ?? undefined,
    getUserId: options.getUserId as (user: unknown) => string,
    getAccountName: options.getAccountName as (user: unknown) => string,
    managementPrefix,
    challengePrefix,
    successRedirect: localPath(options.successRedirect, 'successRedirect', '/'),
    loginPath: localPath(options.loginPath, 'loginPath', '/login'),
    layout: options.layout ?? defaultLayout(texts),
    views: mergeViews(options.views),
    texts,
    bodyLimit,
    requireCsrf: options.requireCsrf ?? true,
    clock: options.clock ?? (() => new Date()),
  };
}
