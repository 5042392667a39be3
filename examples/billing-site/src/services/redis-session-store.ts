/** koa-session's external store in Redis (optional, when `REDIS_URL` is set). */
import Redis from 'ioredis';
import type { SessionStore } from './typeorm-session-store';

const ONE_DAY_MS = 86_400_000;

/**
 * Sessions as JSON strings under `<prefix><key>` with a millisecond TTL. Redis expires them itself.
 *
 * @example
 * ```ts
 * const store = new RedisSessionStore('redis://127.0.0.1:6379');
 * await store.connect();
 * app.use(session({ store }, app));
 * ```
 */
export class RedisSessionStore implements SessionStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'billing-site:sess:',
  ) {
    // Fail a request quickly rather than queueing it forever while Redis is down.
    this.redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 3000,
    });
    this.redis.on('error', () => {
      // ioredis reconnects by itself; request-level failures surface as 503 through the error handler.
    });
  }

  /** Connects; call once before serving, so a wrong `REDIS_URL` fails at start-up. */
  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async get(key: string): Promise<Record<string, unknown> | null> {
    const text = await this.redis.get(this.prefix + key);
    if (!text) return null;
    try {
      const data = JSON.parse(text) as unknown;
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  async set(key: string, session: Record<string, unknown>, maxAge: number | 'session' | undefined): Promise<void> {
    await this.redis.set(
      this.prefix + key,
      JSON.stringify(session),
      'PX',
      typeof maxAge === 'number' ? maxAge : ONE_DAY_MS,
    );
  }

  async destroy(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
