/**
 * The second login step as one typed function (docs/architecture.md#flows): the user comes only from the
 * pending state (S21, S22), the code only from the POST body (S25), and the service decides
 * (S12–S16). `TotpStrategy` wraps it for Passport; the routers of @secondfactor/web call it through
 * the strategy, so the error code travels whole.
 */
import {
  ConfigurationError,
  type FactorMethod,
  type RequestMeta,
  type TwoFactorError,
  type TwoFactorService,
} from '@secondfactor/core';
import {
  clearPendingSecondFactor,
  fingerprintMatches,
  getPendingSecondFactor,
  hasPendingSecondFactor,
  type SessionLike,
} from './pending-second-factor';
import { NoPendingLoginError } from './second-step-error';

/**
 * The part of a request the second step reads. Express's `req`, koa-passport's request mock and
 * the request the routers build all fit.
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
 * What the second step needs; the options of `TotpStrategy` after validation.
 *
 * @example
 * ```ts
 * const options: SecondStepOptions = {
 *   service,
 *   codeField: 'code',
 *   backupCodeField: 'backupCode',
 *   hostUserId: (userId) => userId,
 *   clock: service.clock,
 * };
 * ```
 */
export interface SecondStepOptions {
  service: Pick<TwoFactorService, 'authenticate'>;
  codeField: string;
  backupCodeField: string;
  // Method syntax: a host's hook typed for its own ids and users fits.
  passwordFingerprint?(userId: unknown, user: unknown): Promise<string | null | undefined> | string | null | undefined;
  loadUser?(userId: unknown, req: TotpRequest): Promise<unknown> | unknown;
  /** The host's form of a pending user id (a number for `userIds: 'integer'`); throws for one it cannot take. */
  hostUserId(userId: string): unknown;
  clock: () => Date;
}

/**
 * The outcome of the second step: the user to sign in, or a typed error (its `code`, `status` and
 * `headers`, e.g. `Retry-After`): the service's, or {@link NoPendingLoginError} when there is no
 * login to finish. A fault (a 5xx error) comes back as a failure too.
 *
 * @example
 * ```ts
 * const result: SecondStepResult = await strategy.verify(req);
 * if (!result.ok) res.status(result.error.status).json({ error: { code: result.error.code } });
 * ```
 */
export type SecondStepResult<User = unknown> =
  | {
      ok: true;
      user: User;
      /** Which factor signed the user in. */
      method: FactorMethod;
      /** The new backup codes, shown once, when the last unused one was just used (S19). */
      backupCodes?: string[];
      /** Unused backup codes after a backup-code login. */
      backupCodesRemaining?: number;
    }
  | { ok: false; error: TwoFactorError | NoPendingLoginError };

/**
 * The login in progress in a session (S20): none, a pending second factor, or one that expired
 * (or was tampered with). Only `'none'` can be a signed-in session.
 *
 * @example
 * ```ts
 * const state: LoginState = loginStateOf(req.session, new Date());
 * ```
 */
export type LoginState = 'none' | 'pending' | 'expired';

/**
 * Reads the {@link LoginState} of a session at `now`.
 *
 * @example
 * ```ts
 * if (loginStateOf(ctx.session, service.clock()) === 'pending') ctx.redirect('/login/two-factor');
 * ```
 */
export function loginStateOf(session: SessionLike | null | undefined, now: Date): LoginState {
  if (!hasPendingSecondFactor(session)) return 'none';
  return getPendingSecondFactor(session, now) ? 'pending' : 'expired';
}

/**
 * No pending login, an expired one, or one whose password changed since (S20, S22). One answer
 * for all three, 401: the user has to start again with their password.
 */
function noPendingLogin(session: SessionLike): SecondStepResult {
  clearPendingSecondFactor(session);
  return { ok: false, error: new NoPendingLoginError() };
}

/** The POST body only, own properties only (S25): never the query string, never a prototype. */
function readFields(options: SecondStepOptions, body: unknown): { code?: unknown; backupCode?: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const own = (field: string): unknown =>
    Object.prototype.hasOwnProperty.call(body, field) ? (body as Record<string, unknown>)[field] : undefined;
  return { code: own(options.codeField), backupCode: own(options.backupCodeField) };
}

/** The pending user id in the host's form, or undefined for one that cannot be (a stale or foreign session). */
function hostIdOf(options: SecondStepOptions, userId: string): unknown {
  try {
    return options.hostUserId(userId);
  } catch {
    return undefined;
  }
}

function requestMeta(req: TotpRequest): RequestMeta {
  const meta: RequestMeta = {};
  if (typeof req.ip === 'string') meta.ip = req.ip;
  const userAgent = req.headers?.['user-agent'];
  if (typeof userAgent === 'string') meta.userAgent = userAgent;
  return meta;
}

/**
 * Runs the second step for the user the password step left pending in `req.session`. It clears
 * the pending state on success, on expiry, on a password change (S22) and when 2FA was turned off
 * since the password step (409); the caller then signs the user in (and regenerates the session,
 * S23). A session that is missing altogether is a setup mistake and throws.
 *
 * @example
 * ```ts
 * const result = await verifySecondStep(options, req);
 * if (result.ok) await logIn(result.user);
 * ```
 */
export async function verifySecondStep(options: SecondStepOptions, req: TotpRequest): Promise<SecondStepResult> {
  const session = req.session;
  if (!session || typeof session !== 'object')
    throw new ConfigurationError('TotpStrategy needs a session: mount express-session or koa-session before passport.');
  const pending = getPendingSecondFactor(session, options.clock());
  if (!pending) return noPendingLogin(session);
  const hostId = hostIdOf(options, pending.userId);
  if (hostId === undefined) return noPendingLogin(session);
  // Load before checking the code: a user who cannot be signed in must not burn a code, nor a
  // backup code whose replacement would then never be shown. Loaded once, for both checks.
  const user = options.loadUser ? await options.loadUser(hostId, req) : { id: hostId };
  if (user === null || user === undefined || user === false) return noPendingLogin(session);
  if (options.passwordFingerprint && !fingerprintMatches(pending, await options.passwordFingerprint(hostId, user)))
    return noPendingLogin(session);

  const outcome = await options.service.authenticate({
    userId: pending.userId,
    ...readFields(options, req.body),
    meta: requestMeta(req),
  });
  if (!outcome.ok) {
    // 409: 2FA was turned off (e.g. by support) since the password step; this login cannot finish.
    if (outcome.error.status === 409) clearPendingSecondFactor(session);
    return { ok: false, error: outcome.error };
  }
  clearPendingSecondFactor(session);
  const result: SecondStepResult = { ok: true, user, method: outcome.method };
  if (outcome.backupCodes) result.backupCodes = [...outcome.backupCodes];
  if (typeof outcome.backupCodesRemaining === 'number') result.backupCodesRemaining = outcome.backupCodesRemaining;
  return result;
}
