/**
 * The pending-second-factor state (docs/architecture.md#state-model, S20–S22): what the password step leaves in the
 * session so the second step knows whose code to check. It lives under `session.secondFactor` of
 * an express-session `req.session` or a koa-session `ctx.session`, both plain objects.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, serviceUserId } from '@secondfactor/core';

/**
 * The session property that holds the pending state.
 *
 * @example
 * ```ts
 * const raw = (req.session as Record<string, unknown>)[PENDING_SECOND_FACTOR_KEY];
 * ```
 */
export const PENDING_SECOND_FACTOR_KEY = 'secondFactor';

/**
 * How long the password step stays valid by default: 10 minutes (S20).
 *
 * @example
 * ```ts
 * setPendingSecondFactor(req.session, { userId, ttlSeconds: DEFAULT_PENDING_LOGIN_TTL_SECONDS / 2 });
 * ```
 */
export const DEFAULT_PENDING_LOGIN_TTL_SECONDS = 600;

/**
 * The longest pending state a host may ask for: one day.
 *
 * @example
 * ```ts
 * const ttlSeconds = Math.min(config.loginTtlSeconds, MAX_PENDING_LOGIN_TTL_SECONDS);
 * ```
 */
export const MAX_PENDING_LOGIN_TTL_SECONDS = 86_400;

const MAX_USER_ID_LENGTH = 255;

/**
 * What the password step left in the session.
 *
 * @example
 * ```ts
 * const pending: PendingSecondFactor | null = getPendingSecondFactor(req.session);
 * if (pending) console.log(new Date(pending.expiresAt));
 * ```
 */
export interface PendingSecondFactor {
  /** Whose second factor the next step checks; the only source of the user (S21). */
  userId: string;
  /** When the state dies, in epoch milliseconds. */
  expiresAt: number;
  /** A SHA-256 digest of the password fingerprint at the password step (S22); never the fingerprint itself. */
  fingerprint?: string;
}

/**
 * Input of {@link setPendingSecondFactor}.
 *
 * @example
 * ```ts
 * const input: SetPendingSecondFactorInput = { userId: user.id, fingerprint: user.passwordHash, ttlSeconds: 300 };
 * ```
 */
export interface SetPendingSecondFactorInput {
  /** The user who just proved their password: a string id, or a safe integer (kept as its decimal string). */
  userId: string | number;
  /**
   * Something that changes when the password changes, e.g. the stored password hash (S22). It is
   * digested before it is stored, so a cookie session never carries it. Omit it to skip the check.
   */
  fingerprint?: string | null;
  /** Lifetime of the state. Default 600 (10 min), at most 86400. */
  ttlSeconds?: number;
  /** The clock reading to count the lifetime from. Default `new Date()`. */
  now?: Date;
}

/**
 * A session as express-session and koa-session expose it: a plain object the helpers may write to.
 *
 * @example
 * ```ts
 * const session: SessionLike = ctx.session!;
 * ```
 */
export type SessionLike = object;

/**
 * Records that the password step succeeded and the second factor is now due. Call it from the
 * password step instead of logging the user in; protected routes keep treating the session as
 * signed out until the second step succeeds (S20).
 *
 * @example
 * ```ts
 * // Express, inside the password step, after the password was checked:
 * req.session.regenerate((err) => {
 *   if (err) return next(err);
 *   setPendingSecondFactor(req.session, { userId: user.id, fingerprint: user.passwordHash });
 *   res.json({ status: 'two-factor-required' });
 * });
 * ```
 */
export function setPendingSecondFactor(session: SessionLike, input: SetPendingSecondFactorInput): PendingSecondFactor {
  if (!session || typeof session !== 'object')
    throw new ConfigurationError('setPendingSecondFactor needs the session object (req.session or ctx.session).');
  const { fingerprint } = input ?? ({} as SetPendingSecondFactorInput);
  const userId = pendingUserId(input?.userId);
  const ttlSeconds = input.ttlSeconds ?? DEFAULT_PENDING_LOGIN_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_PENDING_LOGIN_TTL_SECONDS) {
    throw new ConfigurationError(`ttlSeconds must be an integer from 1 to ${MAX_PENDING_LOGIN_TTL_SECONDS}.`);
  }
  if (fingerprint !== undefined && fingerprint !== null && typeof fingerprint !== 'string') {
    throw new ConfigurationError('fingerprint must be a string, null or undefined.');
  }
  const now = input.now ?? new Date();
  const pending: PendingSecondFactor = { userId, expiresAt: now.getTime() + ttlSeconds * 1000 };
  if (typeof fingerprint === 'string') pending.fingerprint = digestFingerprint(fingerprint);
  (session as Record<string, unknown>)[PENDING_SECOND_FACTOR_KEY] = pending;
  return { ...pending };
}

/**
 * Reads the pending state. Null when there is none, when it expired, or when it is not of the
 * shape {@link setPendingSecondFactor} writes (a tampered or foreign value is never trusted).
 *
 * @example
 * ```ts
 * const pending = getPendingSecondFactor(ctx.session);
 * if (pending) ctx.body = { status: 'two-factor-required' };
 * ```
 */
export function getPendingSecondFactor(
  session: SessionLike | null | undefined,
  now: Date = new Date(),
): PendingSecondFactor | null {
  const pending = readPendingState(session);
  if (!pending || pending.expiresAt <= now.getTime()) return null;
  return pending;
}

/**
 * True when the session holds any pending state, expired or not. Guards use it: a session in the
 * middle of a login is signed out, whatever else it holds (S20).
 *
 * @example
 * ```ts
 * if (hasPendingSecondFactor(req.session)) res.redirect('/login/two-factor');
 * ```
 */
export function hasPendingSecondFactor(session: SessionLike | null | undefined): boolean {
  if (!session || typeof session !== 'object') return false;
  const value = (session as Record<string, unknown>)[PENDING_SECOND_FACTOR_KEY];
  return value !== undefined && value !== null;
}

/**
 * Removes the pending state, e.g. when the user cancels the login. The strategy clears it itself
 * on success, on expiry and on a password fingerprint mismatch.
 *
 * @example
 * ```ts
 * clearPendingSecondFactor(req.session);
 * ```
 */
export function clearPendingSecondFactor(session: SessionLike | null | undefined): void {
  if (session && typeof session === 'object') delete (session as Record<string, unknown>)[PENDING_SECOND_FACTOR_KEY];
}

/**
 * True when `current` is the fingerprint the pending state was created with (S22). A state without
 * a fingerprint, or a missing current fingerprint, never matches.
 *
 * @internal
 */
export function fingerprintMatches(pending: PendingSecondFactor, current: unknown): boolean {
  if (typeof pending.fingerprint !== 'string' || typeof current !== 'string') return false;
  const expected = Buffer.from(pending.fingerprint, 'base64url');
  const actual = Buffer.from(digestFingerprint(current), 'base64url');
  // Constant-time, although both sides are digests, so the comparison leaks nothing useful either way.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function pendingUserId(userId: unknown): string {
  try {
    return serviceUserId(userId as string | number);
  } catch {
    throw new ConfigurationError(
      `setPendingSecondFactor needs userId: a safe integer or a string of 1 to ${MAX_USER_ID_LENGTH} characters.`,
    );
  }
}

function readPendingState(session: SessionLike | null | undefined): PendingSecondFactor | null {
  if (!session || typeof session !== 'object') return null;
  const raw = (session as Record<string, unknown>)[PENDING_SECOND_FACTOR_KEY];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const { userId, expiresAt, fingerprint } = raw as Record<string, unknown>;
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) return null;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return null;
  if (fingerprint !== undefined && typeof fingerprint !== 'string') return null;
  return fingerprint === undefined ? { userId, expiresAt } : { userId, expiresAt, fingerprint };
}

function digestFingerprint(fingerprint: string): string {
  return createHash('sha256')
    .update('secondfactor/password-fingerprint\0')
    .update(fingerprint, 'utf8')
    .digest('base64url');
}
