/**
 * The express-session shim: express-session's `Store` class over a {@link SessionStore}.
 * Translation only: callbacks become promises, the session cookie's remaining life becomes a TTL,
 * and the request (express-session keeps it on the session) becomes the client (IP, User-Agent).
 */
import { Store, type SessionData as ExpressSessionData } from 'express-session';
import type { SessionClient } from './session-client';
import type { SessionStore } from './session-store';
import type { SessionData } from './session-user';

/** The parts of a request the store reads by default: `req.ip` and `req.get('User-Agent')`. */
export interface ExpressClientRequest {
  ip?: unknown;
  get?: (field: string) => unknown;
}

/** Options of {@link ExpressSessionStore}. */
export interface ExpressSessionStoreOptions {
  /**
   * The client recorded with each write, from the request. Default `req.ip` and the User-Agent
   * header; `false` records neither.
   */
  clientOf?: ((req: ExpressClientRequest) => SessionClient) | false;
}

function defaultClient(req: ExpressClientRequest): SessionClient {
  const agent = typeof req.get === 'function' ? req.get('User-Agent') : undefined;
  return {
    ip: typeof req.ip === 'string' ? req.ip : null,
    userAgent: typeof agent === 'string' ? agent : null,
  };
}

/**
 * The session's remaining life from its cookie, in ms: express-session's own `maxAge` (what is
 * left of `expires`), else the configured `originalMaxAge`; null for a browser-session cookie.
 */
function ttlOf(session: ExpressSessionData): number | null {
  const cookie = session.cookie as { maxAge?: unknown; originalMaxAge?: unknown } | undefined;
  if (typeof cookie?.maxAge === 'number') return cookie.maxAge;
  if (typeof cookie?.originalMaxAge === 'number') return cookie.originalMaxAge;
  return null;
}

function settle<T>(promise: Promise<T>, callback: ((error: unknown, value?: T) => void) | undefined): void {
  promise.then(
    (value) => callback?.(null, value),
    (error: unknown) => callback?.(error),
  );
}

/**
 * express-session's `store` over a {@link SessionStore} (TypeORM or Redis). Use `req.sessionID` as
 * the current session id for {@link SessionStore.listSessions} and {@link SessionStore.revokeOtherSessions}.
 *
 * @example
 * ```ts
 * import session from 'express-session';
 * import { ExpressSessionStore } from '@secondfactor/sessions/express';
 * app.use(session({ secret, store: new ExpressSessionStore(sessions), resave: false, saveUninitialized: false }));
 * ```
 */
export class ExpressSessionStore extends Store {
  private readonly clientOf: (req: ExpressClientRequest) => SessionClient;

  /**
   * @param sessions The store core: a `TypeOrmSessionStore` or a `RedisSessionStore`.
   * @param options Which client details to record.
   */
  constructor(
    private readonly sessions: SessionStore,
    options: ExpressSessionStoreOptions = {},
  ) {
    super();
    if (!sessions || typeof sessions.get !== 'function' || typeof sessions.listSessions !== 'function')
      throw new TypeError('ExpressSessionStore needs a SessionStore (TypeOrmSessionStore or RedisSessionStore).');
    this.clientOf = options.clientOf === false ? () => ({}) : (options.clientOf ?? defaultClient);
  }

  /** The session for `sid`, or null when it is unknown, expired or revoked. */
  override get(sid: string, callback: (err: unknown, session?: ExpressSessionData | null) => void): void {
    settle(
      this.sessions.get(sid).then((found) => (found ? (found.data as unknown as ExpressSessionData) : null)),
      callback,
    );
  }

  /** Stores the session until its cookie expires, indexed by its user. */
  override set(sid: string, session: ExpressSessionData, callback?: (err?: unknown) => void): void {
    settle(
      this.sessions.set(sid, session as unknown as SessionData, {
        ttlMs: ttlOf(session),
        client: this.client(session),
      }),
      callback,
    );
  }

  /** Marks the session seen and moves its expiry on (at most once per `touchIntervalMs`). */
  override touch(sid: string, session: ExpressSessionData, callback?: (err?: unknown) => void): void {
    settle(this.sessions.touch(sid, { ttlMs: ttlOf(session), client: this.client(session) }), callback);
  }

  /** Ends the session (`req.session.destroy()`, `regenerate()`); its id stays dead. */
  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    settle(this.sessions.destroy(sid), callback);
  }

  /** Every live session's data (no ids: the store keeps only their hashes). */
  override all(callback: (err: unknown, sessions?: ExpressSessionData[] | null) => void): void {
    settle(this.sessions.allSessions() as unknown as Promise<ExpressSessionData[]>, callback);
  }

  /** How many sessions are live. */
  override length(callback: (err: unknown, length?: number) => void): void {
    settle(this.sessions.countSessions(), callback);
  }

  /** Ends every session. */
  override clear(callback?: (err?: unknown) => void): void {
    settle(this.sessions.clear(), callback);
  }

  /** express-session keeps the request on each session object, out of the stored JSON. */
  private client(session: ExpressSessionData): SessionClient {
    const req = (session as { req?: unknown }).req;
    return req && typeof req === 'object' ? this.clientOf(req as ExpressClientRequest) : {};
  }
}
