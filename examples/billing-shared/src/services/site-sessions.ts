/**
 * The sites' server-side session store, from @secondfactor/sessions: in the site's database by
 * default, in Redis with `REDIS_URL`. Either way every instance shares it, and a
 * session ended on one instance (logout, regeneration) is dead on all of them.
 */
import type { SessionStore } from '@secondfactor/sessions';
import { RedisSessionStore } from '@secondfactor/sessions/redis';
import { TypeOrmSessionStore } from '@secondfactor/sessions/typeorm';
import Redis from 'ioredis';
import type { SiteContext } from './site-context';

/** The store a site hands to its framework's shim (`koaSessionStore`, `ExpressSessionStore`). */
export interface SiteSessions {
  store: SessionStore;
  /** Where the sessions live, for the start-up line. */
  where: 'the database' | 'Redis';
  /** Closes the Redis connection (the database is the site context's to close). */
  close(): Promise<void>;
}

/**
 * Opens the session store for the site's configuration. With `REDIS_URL` it connects first, so a
 * wrong URL fails at start-up rather than at the first request.
 */
export async function openSiteSessions(context: SiteContext): Promise<SiteSessions> {
  const options = {
    // One clock for the site: the 2FA service's (a test's fake clock reaches the sessions too).
    clock: () => context.twoFactor.clock(),
    onPruneError: (error: unknown) => context.log(`sessions: pruning failed: ${describeFault(error)}`),
    // S33: enforced by the store on every read, whatever the cookie says.
    lifetime: { idleMinutes: context.config.sessionIdleMinutes, maxHours: context.config.sessionMaxHours },
  };
  const url = context.config.redisUrl;
  if (!url)
    return {
      store: new TypeOrmSessionStore(context.dataSource, options),
      where: 'the database',
      close: async () => undefined,
    };
  // Fail a request quickly rather than queueing it forever while Redis is down.
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
  });
  redis.on('error', () => {
    // ioredis reconnects by itself; request-level failures surface as 503 through the error handlers.
  });
  await redis.connect();
  return {
    store: new RedisSessionStore(redis, options),
    where: 'Redis',
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function describeFault(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return String(code ?? name ?? 'error');
}
