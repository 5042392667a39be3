/**
 * The koa-session (7) shim: koa-session's external-store interface over a {@link SessionStore}.
 * Translation only: `maxAge` becomes a TTL, `ctx` becomes the client (IP, User-Agent), and a read
 * marks the session seen (at most once per `touchIntervalMs`), so the idle timeout (S33) counts
 * from the last request even when koa-session itself writes nothing.
 */
import type { SessionClient } from './session-client';
import type { SessionStore } from './session-store';
import type { SessionData } from './session-user';

/** The parts of a Koa context the shim reads by default: `ctx.ip` and `ctx.get('User-Agent')`. */
export interface KoaClientContext {
  ip?: unknown;
  get?: (field: string) => unknown;
}

/** Options of {@link koaSessionStore}. */
export interface KoaSessionStoreOptions {
  /**
   * The client recorded with each write, from the Koa context. Default `ctx.ip` and the
   * User-Agent header; `false` records neither.
   */
  clientOf?: ((ctx: KoaClientContext) => SessionClient) | false;
}

/** koa-session's `maxAge`: milliseconds, or `'session'` for a browser-session cookie. */
export type KoaSessionMaxAge = number | 'session' | undefined;

/** The external store koa-session 7 calls (its `store` option). */
export interface KoaSessionExternalStore {
  /** The session data for `key`, or null when it is unknown, expired or revoked. */
  get(
    key: string,
    maxAge: KoaSessionMaxAge,
    options?: { rolling?: boolean; ctx?: unknown },
  ): Promise<SessionData | null>;
  /** Stores the session for `maxAge` ms (koa-session adds 10 s), indexed by its user. */
  set(
    key: string,
    session: SessionData,
    maxAge: KoaSessionMaxAge,
    options?: { rolling?: boolean; changed?: boolean; ctx?: unknown },
  ): Promise<void>;
  /** Ends the session (sign-out, `ctx.session.regenerate()`); its key stays dead. */
  destroy(key: string, options?: { ctx?: unknown }): Promise<void>;
}

function defaultClient(ctx: KoaClientContext): SessionClient {
  const agent = typeof ctx.get === 'function' ? ctx.get('User-Agent') : undefined;
  return {
    ip: typeof ctx.ip === 'string' ? ctx.ip : null,
    userAgent: typeof agent === 'string' ? agent : null,
  };
}

/** The TTL koa-session asked for: the session's own `_maxAge` if it has one, else the middleware's. */
function ttlOf(data: SessionData | null, maxAge: KoaSessionMaxAge): number | null {
  if (data && data._session === true) return null;
  if (data && typeof data._maxAge === 'number') return data._maxAge;
  return typeof maxAge === 'number' ? maxAge : null;
}

/**
 * koa-session's `store` over a {@link SessionStore} (TypeORM or Redis). Use `ctx.session.externalKey`
 * as the current session id for {@link SessionStore.listSessions} and {@link SessionStore.revokeOtherSessions}.
 *
 * @example
 * ```ts
 * import session from 'koa-session';
 * import { koaSessionStore } from '@secondfactor/sessions/koa';
 * app.use(session({ key: 'app.sid', store: koaSessionStore(sessions), maxAge: 'session' }, app));
 * ```
 */
export function koaSessionStore(store: SessionStore, options: KoaSessionStoreOptions = {}): KoaSessionExternalStore {
  if (!store || typeof store.get !== 'function' || typeof store.listSessions !== 'function')
    throw new TypeError('koaSessionStore needs a SessionStore (TypeOrmSessionStore or RedisSessionStore).');
  const clientOf = options.clientOf === false ? () => ({}) : (options.clientOf ?? defaultClient);
  const client = (ctx: unknown): SessionClient => (ctx && typeof ctx === 'object' ? clientOf(ctx) : {});

  return {
    async get(key, maxAge, context) {
      const session = await store.get(key);
      if (!session) return null;
      await store.touch(key, {
        ttlMs: ttlOf(session.data, maxAge),
        client: client(context?.ctx),
        lastSeenAt: session.lastSeenAt,
      });
      return session.data;
    },
    async set(key, session, maxAge, context) {
      await store.set(key, session, {
        ttlMs: typeof maxAge === 'number' ? maxAge : null,
        client: client(context?.ctx),
      });
    },
    async destroy(key) {
      await store.destroy(key);
    },
  };
}
