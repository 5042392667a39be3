/**
 * The Passport strategy for the second login step (docs/architecture.md#flows): a thin wrapper around
 * {@link verifySecondStep}, which takes the user only from the pending state the password step left
 * in the session (S21), reads the code only from the POST body (S25), and lets the core service
 * decide (S12–S16).
 */
import { Strategy } from 'passport-strategy';
import {
  ConfigurationError,
  hostUserId,
  type HostUserId,
  type TwoFactorService,
  type UserIdKind,
} from '@secondfactor/core';
import { startPendingLogin, type PendingLoginInput } from './pending-login';
import { clearPendingSecondFactor, type PendingSecondFactor, type SessionLike } from './pending-second-factor';
import {
  loginStateOf,
  verifySecondStep,
  type LoginState,
  type SecondStepOptions,
  type SecondStepResult,
  type TotpRequest,
} from './second-step';
import { failureInfo, successInfo } from './strategy-info';

/** What a hook may answer, now or later. */
type Awaitable<T> = T | Promise<T>;

/**
 * Options of {@link TotpStrategy}. Only `service` is required. `User` is what `loadUser` returns;
 * `Kind` is the service's `userIds`, so with `'integer'` the hooks get numeric ids.
 *
 * @example
 * ```ts
 * const options: TotpStrategyOptions<User> = { service, codeField: 'otp', loadUser: (id) => users.findById(id) };
 * ```
 */
export interface TotpStrategyOptions<User = unknown, Kind extends UserIdKind = 'string'> {
  /**
   * The two-factor service; its `authenticate` method is used, its `clock` is the default clock,
   * and its `userIds` says which id type the hooks get.
   */
  service: Pick<TwoFactorService<Kind>, 'authenticate'> & Partial<Pick<TwoFactorService<Kind>, 'clock' | 'userIds'>>;
  /** The strategy name for `passport.authenticate(name)`. Default `'totp'`. */
  name?: string;
  /** The body field that holds a TOTP code. Default `'code'`. */
  codeField?: string;
  /** The body field that holds a backup code. Default `'backupCode'`. */
  backupCodeField?: string;
  /**
   * The user's current password fingerprint, e.g. the stored password hash (S22). When set, the
   * second step fails, and the pending state is cleared, unless it equals the fingerprint taken at
   * the password step (`startPendingLogin`, which the adapters' `beginSecondFactor` calls, uses this
   * same function). It receives the user `loadUser` just loaded, so a host can read the stored hash
   * from it instead of querying its users table a second time. It is digested before it is stored.
   */
  passwordFingerprint?: (userId: HostUserId<Kind>, user: User) => Awaitable<string | null | undefined>;
  /**
   * Loads the user to sign in, with the request (as `passReqToCallback` would). Called before the
   * code is checked, so a missing or disabled user (return `null` or `false`) burns no code and no
   * backup code. Default: `{ id: userId }`.
   */
  loadUser?: (userId: HostUserId<Kind>, req: TotpRequest) => Awaitable<User | null | undefined | false>;
  /** The clock for the pending state's expiry. Default: the service's clock. */
  clock?: () => Date;
}

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
 * code, `info.backupCodes`. {@link TotpStrategy.verify} gives the same outcome as a typed result.
 * `User` is what `loadUser` returns, inferred from it.
 *
 * @example
 * ```ts
 * import passport from 'passport';
 * import { TotpStrategy } from '@secondfactor/passport-totp';
 * passport.use(new TotpStrategy({ service, loadUser: (id) => users.findById(id) }));
 * app.post('/login/two-factor', passport.authenticate('totp', { failureRedirect: '/login/two-factor' }), (req, res) => res.redirect('/'));
 * ```
 */
export class TotpStrategy<User = unknown, Kind extends UserIdKind = 'string'> extends Strategy {
  /** The name Passport registers the strategy under. */
  name: string;
  // A plain property, not a #private field: Passport calls authenticate on Object.create(strategy).
  private readonly options: SecondStepOptions;

  constructor(options: TotpStrategyOptions<User, Kind>) {
    super();
    if (!options || typeof options !== 'object')
      throw new ConfigurationError('TotpStrategy needs an options object with a service.');
    if (!options.service || typeof options.service.authenticate !== 'function') {
      throw new ConfigurationError('TotpStrategy needs a service: a TwoFactorService from @secondfactor/core.');
    }
    this.name = checkName(options.name ?? 'totp', 'name');
    const codeField = checkName(options.codeField ?? 'code', 'codeField');
    const backupCodeField = checkName(options.backupCodeField ?? 'backupCode', 'backupCodeField');
    if (codeField === backupCodeField) throw new ConfigurationError('codeField and backupCodeField must differ.');
    for (const key of ['passwordFingerprint', 'loadUser', 'clock'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function')
        throw new ConfigurationError(`TotpStrategy option ${key} must be a function.`);
    }
    const serviceClock = options.service.clock;
    const kind: UserIdKind = options.service.userIds ?? 'string';
    this.options = {
      service: options.service,
      codeField,
      backupCodeField,
      passwordFingerprint: options.passwordFingerprint as SecondStepOptions['passwordFingerprint'],
      loadUser: options.loadUser as SecondStepOptions['loadUser'],
      hostUserId: (userId) => hostUserId(kind, userId),
      clock: options.clock ?? (typeof serviceClock === 'function' ? serviceClock : () => new Date()),
    };
  }

  /**
   * The second step as a typed result, for callers that answer themselves (the routers of
   * @secondfactor/koa and @secondfactor/express): the error code travels whole.
   *
   * @example
   * ```ts
   * const result = await strategy.verify(req);
   * if (result.ok) await new Promise((done) => req.logIn(result.user, done));
   * ```
   */
  verify(req: TotpRequest): Promise<SecondStepResult<User>> {
    return verifySecondStep(this.options, req) as Promise<SecondStepResult<User>>;
  }

  /**
   * The password step's half: after a correct password, leaves only a pending login for the user in
   * `session` (S20), bound to the password through `passwordFingerprint` (S22), at the strategy's
   * clock. The session should be a new one (regenerate it first, S23). The adapters'
   * `beginSecondFactor` does all of this in one call.
   *
   * @example
   * ```ts
   * req.session.regenerate(async () => {
   *   await strategy.startPendingLogin(req.session, { userId: user.id, user });
   *   res.redirect('/login/two-factor');
   * });
   * ```
   */
  startPendingLogin(session: SessionLike, input: PendingLoginInput<User>): Promise<PendingSecondFactor> {
    return startPendingLogin(this.options, session, input);
  }

  /**
   * Drops any pending login from `session`, e.g. when the password step signs in a user without 2FA.
   *
   * @example
   * ```ts
   * strategy.clearPendingLogin(ctx.session);
   * ```
   */
  clearPendingLogin(session: SessionLike | null | undefined): void {
    clearPendingSecondFactor(session);
  }

  /**
   * The login in progress in `session`, read with this strategy's clock (S20).
   *
   * @example
   * ```ts
   * if (strategy.loginState(req.session) === 'pending') res.redirect('/login/two-factor');
   * ```
   */
  loginState(session: SessionLike | null | undefined, now: Date = this.options.clock()): LoginState {
    return loginStateOf(session, now);
  }

  /** Runs the second step; ends in exactly one of `success`, `fail` or `error`. */
  override authenticate(req: TotpRequest, _options?: unknown): void {
    this.verify(req).then(
      (result) => {
        if (result.ok) this.success(result.user, successInfo(result));
        else if (result.error.status >= 500) this.error(result.error);
        else {
          const info = failureInfo(result.error);
          if (info.retryAfterSeconds !== undefined) setRetryAfter(req, info.retryAfterSeconds);
          this.fail(info, info.status);
        }
      },
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/** Options of {@link TotpStrategy} checked by name: a usable, non-magic string. */
function checkName(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || FORBIDDEN_FIELDS.has(value)) {
    throw new ConfigurationError(`TotpStrategy option ${option} must be a non-empty string of at most 64 characters.`);
  }
  return value;
}

function setRetryAfter(req: TotpRequest, seconds: number): void {
  const res = req.res;
  if (res && typeof res.setHeader === 'function' && !res.headersSent) res.setHeader('Retry-After', String(seconds));
}
