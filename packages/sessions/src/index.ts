/**
 * @secondfactor/sessions: server-side sessions indexed by user, so a user's sessions can be listed
 * and revoked (S33), with idle and absolute lifetimes. This entry holds the framework- and
 * database-neutral core; the stores live in `/typeorm` and `/redis`, the framework shims in
 * `/koa` and `/express`, so a host loads only the peers it uses.
 */
export type { RevokeUserSessions, SessionBackend, SessionTouch, SessionWrite, StoredSession } from './session-backend';
export { MAX_USER_AGENT_LENGTH, type SessionClient } from './session-client';
export { sessionHandle } from './session-handle';
export {
  sessionExpired,
  type SessionExpiredOptions,
  type SessionExpiryReason,
  type SessionLifetime,
  type SessionTimes,
} from './session-lifetime';
export {
  SessionStore,
  type ListSessionsOptions,
  type LoadedSession,
  type PruneExpiredOptions,
  type SessionStoreOptions,
  type SessionTouchOptions,
  type SessionWriteOptions,
  type UserSession,
} from './session-store';
export { MAX_USER_ID_LENGTH, passportUserId, type SessionData, type SessionUserId } from './session-user';
