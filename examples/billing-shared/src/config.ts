/**
 * The sites' configuration, read once from the environment at start-up. Bad values fail here,
 * before the server listens, never at the first request. Both example sites read the same variables.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigurationError, Keyring } from '@secondfactor/core';
import { loadOrCreateDevelopmentSecret } from './services/development-secrets';

/** Where the site keeps its database. */
export type DatabaseConfig =
  { type: 'sqlite'; file: string } | { type: 'mysql'; url: string } | { type: 'postgres'; url: string };

/** Everything the site needs, resolved from the environment. */
export interface SiteConfig {
  /** TCP port to listen on (`PORT`, default 3000). */
  port: number;
  /** Host to bind (`HOST`, default all interfaces). */
  host: string | undefined;
  /** Base URL printed at start and used in emails (`PUBLIC_URL`, default `http://localhost:<port>`). */
  publicUrl: string;
  /** Folder for the SQLite file, development keys and the mail outbox (`DATA_DIR`, default `<site>/.data`). */
  dataDir: string;
  /**
   * `DATABASE_URL`: `sqlite:<file>` (default `<dataDir>/billing.sqlite`), `mysql://user:pass@host:port/db`
   * (or `mariadb://`) or `postgres://user:pass@host:port/db` (or `postgresql://`).
   */
  database: DatabaseConfig;
  /** `REDIS_URL`: when set, sessions live in Redis instead of the database. */
  redisUrl: string | undefined;
  /** Keys that encrypt TOTP secrets at rest (`SECONDFACTOR_KEYS`, `kid:base64key,…`). */
  keyring: Keyring;
  /** Keys that sign the session cookie (`SESSION_KEYS`, comma-separated, first signs). */
  sessionKeys: string[];
  /** The issuer shown in authenticator apps and the site's brand (`ISSUER`, default "Acme Billing"). */
  issuer: string;
  /** `SMTP_URL`: when set, mail goes to this SMTP server instead of the outbox folder. */
  smtpUrl: string | undefined;
  /** Sender of notification emails (`MAIL_FROM`). */
  mailFrom: string;
  /** Whether to seed the demo accounts and data on first start (`SEED_DEMO`, default on, off with `NODE_ENV=production`). */
  seedDemo: boolean;
  /**
   * Mark the session cookie `Secure` and name it `__Host-billing.sid` (`COOKIE_SECURE=1`; by default
   * on when `PUBLIC_URL` is https, in any letter case). Needs `TRUST_PROXY=1` (S38).
   */
  cookieSecure: boolean;
  /** Whether the site is served over https (`PUBLIC_URL` starts with `https://`): HSTS is sent (S38). */
  https: boolean;
  /** Trust one reverse proxy's `X-Forwarded-*` headers, exactly one hop (`TRUST_PROXY=1`). */
  trustProxy: boolean;
  /** Password-step and registration attempts per client address per 10 minutes (`LOGIN_IP_LIMIT`, default 100; 0 = off; S32). */
  loginIpLimit: number;
  /** Minutes without a request after which a session ends (`SESSION_IDLE_MINUTES`, default 30; S33). */
  sessionIdleMinutes: number;
  /** Hours after sign-in at which a session ends however active (`SESSION_MAX_HOURS`, default 12; S33). */
  sessionMaxHours: number;
  /**
   * Longest wait, in ms, of a successful sign-in's `code.verified` audit row, written in batches
   * off the request path (`AUDIT_BATCH_MS`, default 100; `0` writes it before the sign-in answers).
   * Every other event is always written before the request answers.
   */
  auditBatchMs: number;
  /**
   * How long a sign-in or a "Confirm it's you" covers sensitive actions such as adding a user or
   * a payment method, in seconds (`STEP_UP_MAX_AGE_SECONDS`, default 900; S35).
   */
  stepUpMaxAgeSeconds: number;
  /**
   * Who must have 2FA (`TWO_FACTOR_REQUIRED`): `none` (default) or `owners`, the primary accounts
   * that can pay, cancel services and add users. Sub-accounts are never required (S9, S36).
   */
  twoFactorRequired: TwoFactorRequirementSetting;
  /** Days a newly required owner has to turn 2FA on (`TWO_FACTOR_GRACE_DAYS`, default 14, 0 to 365). */
  twoFactorGraceDays: number;
  /**
   * Days "Remember this browser" skips the code (`TRUSTED_DEVICE_DAYS`, default 30, at most 365);
  /**
   * 0 turns trusted devices off and hides the checkbox (S34).
   */
  trustedDeviceDays: number;
  /** Lines to print loudly at start (development keys in use, …). */
  warnings: string[];
}

/** The values of `TWO_FACTOR_REQUIRED` (S36). */
export type TwoFactorRequirementSetting = 'none' | 'owners';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The site's own folder: the data folder defaults to `<siteDir>/.data`. */
  siteDir: string;
  /** Relative `DATA_DIR` and `sqlite:` paths start here. Default `process.cwd()`. */
  cwd?: string;
}

const DEFAULT_ISSUER = 'Acme Billing';

/**
 * Builds the configuration from environment variables.
 *
 * Without `SECONDFACTOR_KEYS` or `SESSION_KEYS`, development keys are generated once into
 * `DATA_DIR` and a warning is returned; with `NODE_ENV=production` that is refused instead.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions): SiteConfig {
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const production = env.NODE_ENV === 'production';
  const port = parseWholeNumber(env.PORT, 'PORT', 3000, 0, 65535);
  const dataDir = resolve(cwd, nonEmpty(env.DATA_DIR) ?? resolve(options.siteDir, '.data'));
  const publicUrl = (nonEmpty(env.PUBLIC_URL) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  // S38: the scheme is case-insensitive (RFC 3986 §3.1): HTTPS:// is https too.
  const https = /^https:\/\//i.test(publicUrl);
  const cookieSecure = nonEmpty(env.COOKIE_SECURE) === undefined ? https : isOn(env.COOKIE_SECURE);
  const trustProxy = isOn(env.TRUST_PROXY);
  // S38: the sites speak plain HTTP behind a TLS proxy; a Secure cookie needs the proxy's word
  // (X-Forwarded-Proto) that the request came over TLS, or every answer would fail.
  if (cookieSecure && !trustProxy)
    throw new ConfigurationError(
      `${https ? 'PUBLIC_URL is https' : 'COOKIE_SECURE is on'}, so the session cookie is Secure: set TRUST_PROXY=1 ` +
        'and serve the site behind one TLS-terminating reverse proxy that sets X-Forwarded-Proto.',
    );
  if (production && https && !cookieSecure)
    throw new ConfigurationError('NODE_ENV=production with an https PUBLIC_URL needs COOKIE_SECURE=1.');
  const issuer = nonEmpty(env.ISSUER) ?? DEFAULT_ISSUER;
  if (issuer.includes(':')) throw new ConfigurationError('ISSUER must not contain a colon (Key Uri Format).');

  const keyText =
    nonEmpty(env.SECONDFACTOR_KEYS) ??
    developmentSecret(
      'SECONDFACTOR_KEYS',
      'secondfactor-keys',
      dataDir,
      production,
      warnings,
      () => `dev:${randomKey()}`,
    );
  const sessionText =
    nonEmpty(env.SESSION_KEYS) ??
    developmentSecret('SESSION_KEYS', 'session-keys', dataDir, production, warnings, randomKey);
  const sessionKeys = sessionText.split(/[\s,]+/).filter(Boolean);
  if (sessionKeys.some((key) => key.length < 16))
    throw new ConfigurationError('Each SESSION_KEYS entry must be at least 16 characters.');

  return {
    port,
    host: nonEmpty(env.HOST),
    publicUrl,
    dataDir,
    database: parseDatabaseUrl(nonEmpty(env.DATABASE_URL), dataDir, cwd),
    redisUrl: nonEmpty(env.REDIS_URL),
    keyring: Keyring.parse(keyText),
    sessionKeys,
    issuer,
    smtpUrl: nonEmpty(env.SMTP_URL),
    mailFrom: nonEmpty(env.MAIL_FROM) ?? `"${issuer}" <no-reply@example.com>`,
    // Known demo passwords must never reach a production site by default.
    seedDemo:
      env.SEED_DEMO === undefined || env.SEED_DEMO.trim() === ''
        ? !production
        : !/^(0|false|no|off)$/i.test(env.SEED_DEMO),
    cookieSecure,
    https,
    trustProxy,
    loginIpLimit: parseWholeNumber(env.LOGIN_IP_LIMIT, 'LOGIN_IP_LIMIT', 100, 0, 1_000_000),
    sessionIdleMinutes: parseWholeNumber(env.SESSION_IDLE_MINUTES, 'SESSION_IDLE_MINUTES', 30, 2, 7 * 24 * 60),
    sessionMaxHours: parseWholeNumber(env.SESSION_MAX_HOURS, 'SESSION_MAX_HOURS', 12, 1, 24 * 90),
    auditBatchMs: parseWholeNumber(env.AUDIT_BATCH_MS, 'AUDIT_BATCH_MS', 100, 0, 60_000),
    stepUpMaxAgeSeconds: parseWholeNumber(env.STEP_UP_MAX_AGE_SECONDS, 'STEP_UP_MAX_AGE_SECONDS', 900, 1, 86_400),
    twoFactorRequired: parseTwoFactorRequired(env.TWO_FACTOR_REQUIRED),
    twoFactorGraceDays: parseWholeNumber(env.TWO_FACTOR_GRACE_DAYS, 'TWO_FACTOR_GRACE_DAYS', 14, 0, 365),
    trustedDeviceDays: parseWholeNumber(env.TRUSTED_DEVICE_DAYS, 'TRUSTED_DEVICE_DAYS', 30, 0, 365),
    warnings,
  };
}

/**
 * Parses `DATABASE_URL`. `sqlite:<file>` paths are relative to `cwd`; no URL means the SQLite
 * file in the data folder.
 */
export function parseDatabaseUrl(url: string | undefined, dataDir: string, cwd: string): DatabaseConfig {
  if (!url) return { type: 'sqlite', file: resolve(dataDir, 'billing.sqlite') };
  const server = /^(mysql|mariadb|postgres|postgresql):\/\//i.exec(url);
  if (server) {
    const postgres = /^postgres/i.test(server[1]);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // The URL may hold a password: never echo it.
      throw new ConfigurationError('DATABASE_URL is not a valid URL.');
    }
    if (!parsed.hostname || !parsed.pathname.replace(/^\//, ''))
      throw new ConfigurationError(
        postgres
          ? 'DATABASE_URL for PostgreSQL must name a database: postgres://user:pass@host:5432/<database>.'
          : 'DATABASE_URL for MySQL must name a database: mysql://user:pass@host:3306/<database>.',
      );
    return postgres
      ? { type: 'postgres', url: url.replace(/^postgresql:/i, 'postgres:') }
      : { type: 'mysql', url: url.replace(/^mariadb:/i, 'mysql:') };
  }
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(url);
  if (sqlite) return { type: 'sqlite', file: resolve(cwd, sqlite[1]) };
  throw new ConfigurationError(
    'DATABASE_URL must be "sqlite:<file>", "mysql://user:pass@host:port/database" ' +
      'or "postgres://user:pass@host:port/database".',
  );
}

/**
 * The database as the start-up line names it: the SQLite file, or the server kind and host (never
 * the URL, which may hold a password).
 */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.type === 'sqlite') return `SQLite ${database.file}`;
  return `${database.type === 'postgres' ? 'PostgreSQL' : 'MySQL'} ${new URL(database.url).host}`;
}

function isOn(value: string | undefined): boolean {
  return /^(1|true|yes|on)$/i.test(value?.trim() ?? '');
}

function parseWholeNumber(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || number < min || number > max)
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max}, got "${value}".`);
  return number;
}

function parseTwoFactorRequired(value: string | undefined): TwoFactorRequirementSetting {
  const setting = nonEmpty(value)?.toLowerCase() ?? 'none';
  if (setting !== 'none' && setting !== 'owners')
    throw new ConfigurationError(`TWO_FACTOR_REQUIRED must be "none" or "owners", got "${value}".`);
  return setting;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function randomKey(): string {
  return randomBytes(32).toString('base64');
}

function developmentSecret(
  variable: string,
  fileName: string,
  dataDir: string,
  production: boolean,
  warnings: string[],
  generate: () => string,
): string {
  if (production) throw new ConfigurationError(`${variable} must be set when NODE_ENV=production.`);
  const { value, file, created } = loadOrCreateDevelopmentSecret({ dataDir, fileName, generate });
  warnings.push(
    `${variable} is not set: using a development key ${created ? 'generated into' : 'from'} ${file}. ` +
      `Set ${variable} in production and keep it out of the database and the repository.`,
  );
  return value;
}
