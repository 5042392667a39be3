/**
 * The Passport strategy for the second login step (DESIGN.md §4.5–4.6). It takes the user only
 * from the pending state the password step left in the session (S21), reads the code only from
 * the POST body (S25), and lets the core service decide (S12–S16).
 */
import { Strategy } from 'passport-strategy';
import { ConfigurationError, type RequestMeta, type TwoFactorService } from '@secondfactor/core';
import {
  clearPendingSecondFactor,
  fingerprintMatches,
  getPendingSecondFactor,
  type SessionLike,
} from './pending-second-factor';
import { failureInfo, noPendingLoginInfo, successInfo, type TotpFailureInfo } from './strategy-info';

/**
 * The part of a request the strategy reads. Express's `req` and koa-passport's request mock both fit.
 *
 * @example
 * ```ts
 * const loadUser = async (userId: string, req: TotpRequest) => users.findActive(userId, { ip: req.ip });
 * ```
 */
export interface TotpRequest {
  /** The parsed POST body; the only place codes are read from (S25). */
  body?: unknown;
  /** express-session's `req.session` or koa-session's `ctx.session`. */
  session?: SessionLike | null;
  /** Client address, for events. */
  ip?: string;
  /** Request headers; only `user-agent` is read, for events. */
  headers?: Record<string, string | string[] | undefined>;
  /** The response, when the framework exposes it, so a 429 carries `Retry-After` even in Passport's default failure response. */
  res?: { setHeader?: (name: string, value: string) => unknown; headersSent?: boolean };
}

/**
 * Options of {@link TotpStrategy}. Only `service` is required.
 *
 * @example
 * ```ts
 * const options: TotpStrategyOptions = { service, codeField: 'otp', loadUser: (id) => users.findById(id) };
 * ```
 */
export interface TotpStrategyOptions {
  /** The two-factor service; only its `authenticate` method is used. */
  service: Pick<TwoFactorService, 'authenticate'>;
  /** The strategy name for `passport.authenticate(name)`. Default `'totp'`. */
  name?: string;
  /** The body field that holds a TOTP code. Default `'code'`. */
  codeField?: string;
  /** The body field that holds a backup code. Default `'backupCode'`. */
  backupCodeField?: string;
  /**
   * The user's current password fingerprint, e.g. the stored password hash (S22). When set, the
   * second step fails, and the pending state is cleared, unless it equals the fingerprint given to
   * `setPendingSecondFactor` at the password step. It receives the user `loadUser` just loaded, so
   * a host can read the stored hash from it instead of querying its users table a second time.
   */
  passwordFingerprint?: (
    userId: string,
    user: unknown,
  ) => Promise<string | null | undefined> | string | null | undefined;
  /**
   * Loads the user to sign in, with the request (as `passReqToCallback` would). Called before the
   * code is checked, so a missing or disabled user (return `null` or `false`) burns no code and no
   * backup code. Default: `{ id: userId }`.
   */
  loadUser?: (userId: string, req: TotpRequest) => Promise<unknown> | unknown;
  /** The clock for the pending state's expiry. Default `() => new Date()`; use the service's clock. */
  clock?: () => Date;
}

/** What the strategy decided; applied once, outside the async work, so a throwing callback is never reported twice. */
type Decision =
  | { kind: 'success'; user: unknown; info: ReturnType<typeof successInfo> }
  | { kind: 'fail'; info: TotpFailureInfo }
  | { kind: 'error'; error: unknown };

// Reading these from a body could reach Object.prototype, not the request.
const FORBIDDEN_FIELDS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Passport strategy for the second factor: a TOTP code or a backup code, for the user the
 * password step left pending in the session.
 *
 * Outcomes: malformed input `fail(info, 400)`; wrong or replayed code `fail(info, 401)`; no,
 * expired or outdated pending login `fail(info, 401)` (state cleared); not enabled `fail(info, 409)`;
 * locked `fail(info, 423)`; throttled `fail(info, 429)` with `info.retryAfterSeconds`; store or
 * key fault `error(err)`; success `success(user, info)` with `info.method` and, after a backup
 * code, `info.backupCodes`.
 *
 * @example
 * ```ts
 * import passport from 'passport';
 * import { TotpStrategy } from '@secondfactor/passport-totp';
 * passport.use(new TotpStrategy({ service, loadUser: (id) => users.findById(id) }));
 * app.post('/login/two-factor', passport.authenticate('totp', { failureRedirect: '/login/two-factor' }), (req, res) => res.redirect('/'));
 * ```
 */
export class TotpStrategy extends Strategy {
  /** The name Passport registers the strategy under. */
  name: string;
  // Plain properties, not #private fields: Passport calls authenticate on Object.create(strategy).
  private readonly service: Pick<TwoFactorService, 'authenticate'>;
  private readonly codeField: string;
  private readonly backupCodeField: string;
  private readonly passwordFingerprint: TotpStrategyOptions['passwordFingerprint'];
  private readonly loadUser: TotpStrategyOptions['loadUser'];
  private readonly clock: () => Date;

  constructor(options: TotpStrategyOptions) {
    super();
    if (!options || typeof options !== 'object')
      throw new ConfigurationError('TotpStrategy needs an options object with a service.');
    if (!options.service || typeof options.service.authenticate !== 'function') {
      throw new ConfigurationError('TotpStrategy needs a service: a TwoFactorService from @secondfactor/core.');
    }
    this.name = checkName(options.name ?? 'totp', 'name');
    this.codeField = checkName(options.codeField ?? 'code', 'codeField');
    this.backupCodeField = checkName(options.backupCodeField ?? 'backupCode', 'backupCodeField');
    if (this.codeField === this.backupCodeField)
      throw new ConfigurationError('codeField and backupCodeField must differ.');
    for (const key of ['passwordFingerprint', 'loadUser', 'clock'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function')
        throw new ConfigurationError(`TotpStrategy option ${key} must be a function.`);
    }
    this.service = options.service;
    this.passwordFingerprint = options.passwordFingerprint;
    this.loadUser = options.loadUser;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Runs the second step; ends in exactly one of `success`, `fail` or `error`. */
  override authenticate(req: TotpRequest, _options?: unknown): void {
    this.decide(req).then(
      (decision) => {
        if (decision.kind === 'success') this.success(decision.user, decision.info);
        else if (decision.kind === 'fail') {
          if (decision.info.retryAfterSeconds !== undefined) setRetryAfter(req, decision.info.retryAfterSeconds);
          this.fail(decision.info, decision.info.status);
        } else this.error(toError(decision.error));
      },
      (error: unknown) => this.error(toError(error)),
    );
  }

  private async decide(req: TotpRequest): Promise<Decision> {
    const session = req.session;
    if (!session || typeof session !== 'object') {
      return {
        kind: 'error',
        error: new ConfigurationError(
          'TotpStrategy needs a session: mount express-session or koa-session before passport.',
        ),
      };
    }
    const pending = getPendingSecondFactor(session, this.clock());
    if (!pending) return this.abandon(session);
    // Load before checking the code: a user who cannot be signed in must not burn a code, nor a
    // backup code whose replacement would then never be shown. Loaded once, for both checks.
    const user = this.loadUser ? await this.loadUser(pending.userId, req) : { id: pending.userId };
    if (user === null || user === undefined || user === false) return this.abandon(session);
    if (this.passwordFingerprint && !fingerprintMatches(pending, await this.passwordFingerprint(pending.userId, user)))
      return this.abandon(session);

    const outcome = await this.service.authenticate({
      userId: pending.userId,
      ...this.readFields(req.body),
      meta: requestMeta(req),
    });
    if (!outcome.ok) {
      if (outcome.error.status >= 500) return { kind: 'error', error: outcome.error };
      // 409: 2FA was turned off (e.g. by support) since the password step; this login cannot finish.
      if (outcome.error.status === 409) clearPendingSecondFactor(session);
      return { kind: 'fail', info: failureInfo(outcome.error) };
    }
    clearPendingSecondFactor(session);
    return { kind: 'success', user, info: successInfo(outcome) };
  }

  private abandon(session: SessionLike): Decision {
    clearPendingSecondFactor(session);
    return { kind: 'fail', info: noPendingLoginInfo() };
  }

  /** The POST body only, own properties only (S25): never the query string, never a prototype. */
  private readFields(body: unknown): { code?: unknown; backupCode?: unknown } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
    const own = (field: string): unknown =>
      Object.prototype.hasOwnProperty.call(body, field) ? (body as Record<string, unknown>)[field] : undefined;
    return { code: own(this.codeField), backupCode: own(this.backupCodeField) };
  }
}

/** Options of {@link TotpStrategy} checked by name: a usable, non-magic string. */
function checkName(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || FORBIDDEN_FIELDS.has(value)) {
    throw new ConfigurationError(`TotpStrategy option ${option} must be a non-empty string of at most 64 characters.`);
  }
  return value;
}

function requestMeta(req: TotpRequest): RequestMeta {
  const meta: RequestMeta = {};
  if (typeof req.ip === 'string') meta.ip = req.ip;
  const userAgent = req.headers?.['user-agent'];
  if (typeof userAgent === 'string') meta.userAgent = userAgent;
  return meta;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function setRetryAfter(req: TotpRequest, seconds: number): void {
  const res = req.res;
  if (res && typeof res.setHeader === 'function' && !res.headersSent) res.setHeader('Retry-After', String(seconds));
}
