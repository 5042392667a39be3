/**
 * The store core both framework shims call: session data in and out of a {@link SessionBackend},
 * the user index (list, revoke one, revoke all others: S33), the lifetime (idle and absolute,
 * S33) and pruning. It knows nothing of Koa, Express, SQL or Redis.
 */
import type { SessionBackend, StoredSession } from './session-backend';
import { normalizeClient, type SessionClient } from './session-client';
import { isSessionHandle, sessionHandle } from './session-handle';
import { lifetimeMs, sessionExpired, type SessionLifetime } from './session-lifetime';
import { passportUserId, userIdString, type SessionData, type SessionUserId } from './session-user';

/** Options of every store: {@link TypeOrmSessionStore}, {@link RedisSessionStore}, any on a {@link SessionBackend}. */
export interface SessionStoreOptions {
  /** Which user a session belongs to. Default: Passport's `session.passport.user` ({@link passportUserId}). */
  userIdOf?: (data: SessionData) => SessionUserId | null | undefined;
  /** Idle timeout and absolute lifetime, enforced on every read and folded into the stored expiry (S33). */
  lifetime?: SessionLifetime;
  /** How long a session with a browser-session cookie (no `maxAge`) is kept, in ms. Default one day. */
  browserSessionTtlMs?: number;
  /**
   * A session is touched (last seen, expiry moved on) at most this often, in ms, so a burst of
   * requests costs one write. Default 60 000; must be shorter than the idle timeout.
   */
  touchIntervalMs?: number;
  /** Expired sessions are pruned (one batch) from a write at most this often, in ms. Default 5 minutes; 0 = never. */
  pruneIntervalMs?: number;
  /** Rows per pruning statement. Default 500. */
  pruneBatchSize?: number;
  /**
   * Called when pruning from a write fails; the write stands, and the next write prunes again.
   * Default: `console.error` of the error's code or name.
   */
  onPruneError?: (error: unknown) => void;
  /** The server clock. Default `() => new Date()`. */
  clock?: () => Date;
}

/** How a write learns the session's lifetime and its client. */
export interface SessionWriteOptions {
  /** How long the session should live from now, in ms; missing or null for a browser-session cookie. */
  ttlMs?: number | null;
  /** The request's client, recorded for the listing. */
  client?: SessionClient;
}

/** Options of {@link SessionStore.touch}. */
export interface SessionTouchOptions extends SessionWriteOptions {
  /** `lastSeenAt` as last read: within `touchIntervalMs` of now, the touch is skipped without a query. */
  lastSeenAt?: Date;
}

/** A session as {@link SessionStore.get} returns it. */
export interface LoadedSession {
  /** The session's handle ({@link sessionHandle}), as listings show it. */
  id: string;
  userId: string | null;
  data: SessionData;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** One entry of a user's session list (S33). */
export interface UserSession {
  /** A stable, non-secret handle: what {@link SessionStore.revokeSession} takes. Never the session id. */
  id: string;
  /** Whether this is the session that asked for the list. */
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  /** The raw User-Agent (at most 512 characters), for the host to summarise. */
  userAgent: string | null;
}

/** Options of {@link SessionStore.listSessions}. */
export interface ListSessionsOptions {
  /** The asking request's session id (`ctx.session.externalKey`, `req.sessionID`): marks `current`. */
  currentSessionId?: string | null;
  /** At most this many, most recently seen first. Default 100, from 1 to 1000. */
  limit?: number;
}

/** Options of {@link SessionStore.pruneExpired}. */
export interface PruneExpiredOptions {
  /** Rows per statement. Default `pruneBatchSize` (500), from 1 to 10 000. */
  batchSize?: number;
  /** Statements at most. Default 100. */
  maxBatches?: number;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 366 * DAY_MS;
/** express-session's and koa-session's data are small; this bounds what one request can store. */
const MAX_DATA_BYTES = 65_535;

function integerOption(value: number | undefined, fallback: number, name: string, range: [number, number]): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < range[0] || value > range[1])
    throw new RangeError(`${name} must be an integer from ${range[0]} to ${range[1]}.`);
  return value;
}

function parseData(text: string): SessionData | null {
  try {
    const data = JSON.parse(text) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as SessionData) : null;
  } catch {
    return null;
  }
}

/**
 * A session store over a {@link SessionBackend}. Hosts use {@link TypeOrmSessionStore} or
 * {@link RedisSessionStore} and hand it to koa-session (`koaSessionStore`) or express-session
 * (`ExpressSessionStore`); the account pages call the user-index methods.
 *
 * @example
 * ```ts
 * const sessions = await store.listSessions(user.id, { currentSessionId: req.sessionID });
 * const other = sessions.find((session) => !session.current);
 * if (other) await store.revokeSession(user.id, other.id); // that browser is signed out at its next request
 * await store.revokeOtherSessions(user.id, req.sessionID);
 * ```
 */
export class SessionStore {
  private readonly userIdOf: (data: SessionData) => SessionUserId | null | undefined;
  private readonly idleMs: number | null;
  private readonly maxMs: number | null;
  private readonly lifetime: SessionLifetime;
  private readonly browserSessionTtlMs: number;
  private readonly touchIntervalMs: number;
  private readonly pruneIntervalMs: number;
  private readonly pruneBatchSize: number;
  private readonly onPruneError: (error: unknown) => void;
  private readonly clock: () => Date;
  private lastPruneMs: number | null = null;

  /** Fails fast on bad options, at setup rather than at the first request. */
  constructor(
    private readonly backend: SessionBackend,
    options: SessionStoreOptions = {},
  ) {
    const { idleMs, maxMs } = lifetimeMs(options.lifetime);
    this.idleMs = idleMs;
    this.maxMs = maxMs;
    this.lifetime = { ...options.lifetime };
    this.userIdOf = options.userIdOf ?? passportUserId;
    this.browserSessionTtlMs = integerOption(options.browserSessionTtlMs, DAY_MS, 'browserSessionTtlMs', [1, YEAR_MS]);
    this.touchIntervalMs = integerOption(options.touchIntervalMs, 60_000, 'touchIntervalMs', [0, DAY_MS]);
    this.pruneIntervalMs = integerOption(options.pruneIntervalMs, 5 * 60_000, 'pruneIntervalMs', [0, DAY_MS]);
    this.pruneBatchSize = integerOption(options.pruneBatchSize, 500, 'pruneBatchSize', [1, 10_000]);
    this.onPruneError =
      options.onPruneError ??
      ((error) => {
        const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
        console.error(`secondfactor: pruning expired sessions failed (${String(code ?? name ?? 'error')})`);
      });
    this.clock = options.clock ?? (() => new Date());
    if (idleMs !== null && this.touchIntervalMs >= idleMs)
      throw new RangeError('touchIntervalMs must be shorter than the idle timeout, or active sessions would expire.');
  }

  /** The live session with this id, or null when it is unknown, expired, idle too long, too old or revoked. */
  async get(sessionId: string): Promise<LoadedSession | null> {
    const now = this.clock();
    const stored = await this.backend.read(sessionHandle(sessionId), now);
    if (!stored || sessionExpired(stored, { ...this.lifetime, now })) return null;
    const data = parseData(stored.data);
    return data ? { ...this.describe(stored), userId: stored.userId, data } : null;
  }

  /**
   * Stores the session (one atomic upsert), indexed under `userIdOf(data)`. A destroyed or revoked
   * id stays dead. The expiry is `ttlMs` from now, capped by the idle timeout and the absolute lifetime.
   */
  async set(sessionId: string, data: SessionData, options: SessionWriteOptions = {}): Promise<void> {
    const text = JSON.stringify(data);
    if (typeof text !== 'string' || Buffer.byteLength(text, 'utf8') > MAX_DATA_BYTES)
      throw new RangeError(`Session data must serialise to JSON of at most ${MAX_DATA_BYTES} bytes.`);
    const now = this.clock();
    await this.backend.write({
      id: sessionHandle(sessionId),
      userId: userIdString(this.userIdOf(data)),
      data: text,
      now,
      expiresAt: this.expiry(now, options.ttlMs),
      maxLifetimeMs: this.maxMs,
      ...normalizeClient(options.client),
    });
    await this.pruneNowAndThen(now);
  }

  /**
   * Marks the session seen now and moves its expiry on, if it is live and was last seen more than
   * `touchIntervalMs` ago. True when it was touched.
   */
  async touch(sessionId: string, options: SessionTouchOptions = {}): Promise<boolean> {
    const now = this.clock();
    const seenAtOrBefore = new Date(now.getTime() - this.touchIntervalMs);
    if (options.lastSeenAt && options.lastSeenAt > seenAtOrBefore) return false;
    return this.backend.touch({
      id: sessionHandle(sessionId),
      now,
      expiresAt: this.expiry(now, options.ttlMs),
      maxLifetimeMs: this.maxMs,
      seenAtOrBefore,
      ...normalizeClient(options.client),
    });
  }

  /** Ends the session (sign-out, regeneration). Its id stays dead even if an in-flight request writes it. */
  async destroy(sessionId: string): Promise<void> {
    await this.backend.revoke(sessionHandle(sessionId), this.clock());
  }

  /**
   * The user's live sessions, most recently seen first, the asking one marked `current` (S33).
   *
   * @example
   * ```ts
   * const list = await store.listSessions(42, { currentSessionId: ctx.session?.externalKey });
   * ```
   */
  async listSessions(userId: SessionUserId, options: ListSessionsOptions = {}): Promise<UserSession[]> {
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
      throw new RangeError('limit must be an integer from 1 to 1000.');
    const user = this.requireUserId(userId);
    const current = options.currentSessionId ? sessionHandle(options.currentSessionId) : null;
    const now = this.clock();
    const stored = await this.backend.listUserSessions(user, now, limit);
    return stored
      .filter((session) => session.userId === user && !sessionExpired(session, { ...this.lifetime, now }))
      .map((session) => ({ ...this.describe(session), current: session.id === current }));
  }

  /**
   * Revokes one of the user's sessions by its listed `id` (S33). False when the id is malformed,
   * unknown, already ended, or another user's: a user can only ever end their own sessions.
   *
   * @example
   * ```ts
   * const ended = await store.revokeSession(user.id, ctx.params.id);
   * ```
   */
  async revokeSession(userId: SessionUserId, id: string): Promise<boolean> {
    const user = this.requireUserId(userId);
    if (!isSessionHandle(id)) return false;
    return (await this.backend.revokeUserSessions({ userId: user, only: id, now: this.clock() })) > 0;
  }

  /**
   * Revokes every session of the user except the asking one, in one statement (S33). Returns how many.
   *
   * @example
   * ```ts
   * const ended = await store.revokeOtherSessions(req.user.id, req.sessionID);
   * ```
   */
  async revokeOtherSessions(userId: SessionUserId, currentSessionId: string): Promise<number> {
    const user = this.requireUserId(userId);
    const except = sessionHandle(currentSessionId);
    return this.backend.revokeUserSessions({ userId: user, except, now: this.clock() });
  }

  /** Revokes every session of the user, the asking one included. Returns how many. */
  async revokeAllSessions(userId: SessionUserId): Promise<number> {
    return this.backend.revokeUserSessions({ userId: this.requireUserId(userId), now: this.clock() });
  }

  /**
   * Deletes expired sessions and tombstones in bounded batches, and cleans the user index.
   * Writes already do one batch now and then (`pruneIntervalMs`); call this from a job for more.
   *
   * @example
   * ```ts
   * const removed = await store.pruneExpired({ batchSize: 1000, maxBatches: 50 });
   * ```
   */
  async pruneExpired(options: PruneExpiredOptions = {}): Promise<number> {
    const batchSize = integerOption(options.batchSize, this.pruneBatchSize, 'batchSize', [1, 10_000]);
    const maxBatches = integerOption(options.maxBatches, 100, 'maxBatches', [1, 1_000_000]);
    return this.backend.pruneExpired(this.clock(), batchSize, maxBatches);
  }

  /** The data of every live session (express-session's `all`); it reads the whole store. */
  async allSessions(): Promise<SessionData[]> {
    const now = this.clock();
    const stored = await this.backend.readAll(now);
    return stored
      .filter((session) => !sessionExpired(session, { ...this.lifetime, now }))
      .map((session) => parseData(session.data))
      .filter((data): data is SessionData => data !== null);
  }

  /** How many sessions are live (express-session's `length`). */
  async countSessions(): Promise<number> {
    return this.backend.count(this.clock());
  }

  /** Ends every session of every user (express-session's `clear`). Returns how many. */
  async clear(): Promise<number> {
    return this.backend.revokeAll(this.clock());
  }

  /** The stored expiry for a write now: the TTL, capped by the idle timeout (the absolute cap needs `createdAt`). */
  private expiry(now: Date, ttlMs: number | null | undefined): Date {
    const ttl = typeof ttlMs === 'number' && Number.isFinite(ttlMs) ? ttlMs : this.browserSessionTtlMs;
    return new Date(now.getTime() + (this.idleMs === null ? ttl : Math.min(ttl, this.idleMs)));
  }

  private describe(session: StoredSession): Omit<UserSession, 'current'> {
    return {
      id: session.id,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
      ip: session.ip,
      userAgent: session.userAgent,
    };
  }

  private requireUserId(userId: SessionUserId): string {
    const user = userIdString(userId);
    if (user === null) throw new TypeError('A user id must be a non-empty string or a safe integer.');
    return user;
  }

  private async pruneNowAndThen(now: Date): Promise<void> {
    if (this.pruneIntervalMs === 0) return;
    const nowMs = now.getTime();
    if (this.lastPruneMs !== null && nowMs - this.lastPruneMs < this.pruneIntervalMs) return;
    this.lastPruneMs = nowMs;
    try {
      await this.backend.pruneExpired(now, this.pruneBatchSize, 1);
    } catch (error) {
      this.lastPruneMs = null;
      this.onPruneError(error);
    }
  }
}
