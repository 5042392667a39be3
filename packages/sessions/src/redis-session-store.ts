/** The session store over Redis: the store core on {@link RedisSessionBackend}. */
import type { Redis } from 'ioredis';
import { RedisSessionBackend } from './redis-session-backend';
import { SessionStore, type SessionStoreOptions } from './session-store';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions extends SessionStoreOptions {
  /** Prefix of every key the store writes. Default `'sf:sess:'`. */
  prefix?: string;
}

/**
 * Sessions in Redis, indexed by user: a hash per session with a TTL, and a sorted set of handles
 * per user. Takes the host's ioredis client (standalone or Sentinel, not Cluster, without
 * `keyPrefix`); the host connects and closes it. Hand it to koa-session with `koaSessionStore` or
 * to express-session with `ExpressSessionStore`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisSessionStore } from '@secondfactor/sessions/redis';
 * const sessions = new RedisSessionStore(new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), {
 *   lifetime: { idleMinutes: 30, maxHours: 12 },
 * });
 * ```
 */
export class RedisSessionStore extends SessionStore {
  /**
   * @param redis The host's ioredis client.
   * @param options Key prefix, lifetime, user id, pruning and clock; see {@link RedisSessionStoreOptions}.
   */
  constructor(redis: Redis, options: RedisSessionStoreOptions = {}) {
    const prefix = options.prefix ?? 'sf:sess:';
    if (typeof prefix !== 'string') throw new TypeError('prefix must be a string.');
    super(new RedisSessionBackend(redis, prefix), options);
  }
}
