/**
 * The persistence contract under {@link SessionStore}: what a backend (TypeORM, Redis, or one a
 * host writes) must do, method by method. Every write is atomic in the backend (an upsert, one
 * conditional statement or one script); nothing is read, decided in JS and written back.
 *
 * A destroyed or revoked session leaves a tombstone until its old expiry, so a request of that
 * session still in flight cannot write it back to life (S33).
 */

/** A live session as a backend returns it. */
export interface StoredSession {
  /** The session's handle: `sessionHandle(sessionId)`. The session id itself is never stored. */
  id: string;
  /** The user the session belongs to, or null while nobody is signed in. */
  userId: string | null;
  /** The session data as JSON text. */
  data: string;
  /** When the session was first written. */
  createdAt: Date;
  /** When the session was last written or touched. */
  lastSeenAt: Date;
  /** After this the session is dead and may be pruned. */
  expiresAt: Date;
  /** The client's IP address at the last write that recorded one. */
  ip: string | null;
  /** The client's User-Agent at the last write that recorded one. */
  userAgent: string | null;
}

/** Input to {@link SessionBackend.write}. */
export interface SessionWrite {
  /** The session's handle. */
  id: string;
  userId: string | null;
  /** The session data as JSON text. */
  data: string;
  /** The write's time: `createdAt` of a new session, `lastSeenAt` of every session. */
  now: Date;
  /** The wanted expiry; the backend lowers it to `createdAt + maxLifetimeMs` when that is sooner. */
  expiresAt: Date;
  /** The absolute lifetime from `createdAt`, or null for none. */
  maxLifetimeMs: number | null;
  /** Recorded when not null; null keeps the stored value. */
  ip: string | null;
  /** Recorded when not null; null keeps the stored value. */
  userAgent: string | null;
}

/** Input to {@link SessionBackend.touch}. */
export interface SessionTouch {
  /** The session's handle. */
  id: string;
  now: Date;
  /** As in {@link SessionWrite.expiresAt}. */
  expiresAt: Date;
  maxLifetimeMs: number | null;
  /** Only a session last seen at or before this is touched, so frequent requests cost no write. */
  seenAtOrBefore: Date;
  ip: string | null;
  userAgent: string | null;
}

/** Which of a user's sessions {@link SessionBackend.revokeUserSessions} revokes. */
export interface RevokeUserSessions {
  /** The user whose sessions are revoked; no other user's session is ever touched. */
  userId: string;
  /** Only this session (a handle); it must belong to `userId`. */
  only?: string;
  /** Every session but this one (a handle). */
  except?: string;
  now: Date;
}

/**
 * A session backend. The `id` of every method is a handle (`sessionHandle(sessionId)`), never a
 * raw session id, so a read of the backend (a dump, a replica, a `KEYS *`) yields no live session.
 *
 * @example
 * ```ts
 * import { SessionStore, type SessionBackend } from '@secondfactor/sessions';
 * class MyStore extends SessionStore {
 *   constructor(backend: SessionBackend) {
 *     super(backend, { lifetime: { idleMinutes: 30, maxHours: 12 } });
 *   }
 * }
 * ```
 */
export interface SessionBackend {
  /** The live session: not revoked and `expiresAt` after `now`; otherwise null. */
  read(id: string, now: Date): Promise<StoredSession | null>;

  /**
   * Inserts the session (with `createdAt = now`) or updates it (keeping `createdAt`), in one
   * atomic upsert that also moves it to `userId` in the user index. A tombstone stays a tombstone:
   * writing a revoked id changes nothing.
   */
  write(entry: SessionWrite): Promise<void>;

  /**
   * Moves `lastSeenAt` to `now` and the expiry to `expiresAt` (capped as in `write`) if the
   * session is live and was last seen at or before `seenAtOrBefore`. True when it was touched.
   */
  touch(entry: SessionTouch): Promise<boolean>;

  /** Turns a live session into a tombstone (its data, user, IP and User-Agent are dropped). True if one was live. */
  revoke(id: string, now: Date): Promise<boolean>;

  /** The user's live sessions, most recently seen first, at most `limit`. */
  listUserSessions(userId: string, now: Date, limit: number): Promise<StoredSession[]>;

  /** Revokes the user's live sessions selected by `only` / `except`, in one statement or script. Returns how many. */
  revokeUserSessions(selection: RevokeUserSessions): Promise<number>;

  /**
   * Deletes sessions and tombstones whose expiry is at or before `now`, at most `batchSize` per
   * statement and `maxBatches` statements, and cleans the user index. Returns how many went.
   */
  pruneExpired(now: Date, batchSize: number, maxBatches: number): Promise<number>;

  /** Every live session (for express-session's `all`). */
  readAll(now: Date): Promise<StoredSession[]>;

  /** How many sessions are live. */
  count(now: Date): Promise<number>;

  /** Revokes every live session. Returns how many. */
  revokeAll(now: Date): Promise<number>;
}
