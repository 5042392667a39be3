/** koa-session's external store over the site's database, so sessions survive restarts and are shared by instances. */
import { LessThan, type DataSource, type Repository } from 'typeorm';
import { SessionRecord } from '../db/entities/session-record.entity';

/** The external store shape koa-session 7 calls (`options.store`). */
export interface SessionStore {
  /** The session for `key`, or null when missing or expired. */
  get(key: string): Promise<Record<string, unknown> | null>;
  /** Stores the session for `maxAge` ms (`'session'`: the store's default lifetime). */
  set(key: string, session: Record<string, unknown>, maxAge: number | 'session' | undefined): Promise<void>;
  /** Deletes the session. */
  destroy(key: string): Promise<void>;
}

/** Options of {@link TypeOrmSessionStore}. */
export interface TypeOrmSessionStoreOptions {
  /** Lifetime for `maxAge: 'session'` cookies, in ms. Default one day. */
  sessionCookieTtlMs?: number;
  /** How often, at most, expired rows are deleted, in ms. Default 15 minutes. */
  pruneIntervalMs?: number;
  /** The clock, in ms. */
  now?: () => number;
}

const ONE_DAY_MS = 86_400_000;

/**
 * A koa-session store in the `sessions` table. Reads ignore expired rows; writes are upserts;
 * expired rows are pruned now and then from a write.
 *
 * @example
 * ```ts
 * app.use(session({ store: new TypeOrmSessionStore(dataSource), key: 'billing.sid' }, app));
 * ```
 */
export class TypeOrmSessionStore implements SessionStore {
  private readonly sessions: Repository<SessionRecord>;
  private readonly sessionCookieTtlMs: number;
  private readonly pruneIntervalMs: number;
  private readonly now: () => number;
  private lastPruneMs = 0;

  constructor(dataSource: DataSource, options: TypeOrmSessionStoreOptions = {}) {
    this.sessions = dataSource.getRepository(SessionRecord);
    this.sessionCookieTtlMs = options.sessionCookieTtlMs ?? ONE_DAY_MS;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<Record<string, unknown> | null> {
    const row = await this.sessions.findOneBy({ id: key });
    if (!row || row.expiresAt <= this.now()) return null;
    try {
      const data = JSON.parse(row.data) as unknown;
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  async set(key: string, session: Record<string, unknown>, maxAge: number | 'session' | undefined): Promise<void> {
    const ttl = typeof maxAge === 'number' ? maxAge : this.sessionCookieTtlMs;
    await this.sessions.upsert({ id: key, data: JSON.stringify(session), expiresAt: this.now() + ttl }, ['id']);
    await this.pruneNowAndThen();
  }

  async destroy(key: string): Promise<void> {
    await this.sessions.delete({ id: key });
  }

  /** Deletes every expired row. Returns how many went. */
  async pruneExpired(): Promise<number> {
    const result = await this.sessions.delete({ expiresAt: LessThan(this.now()) });
    return result.affected ?? 0;
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.now();
    if (now - this.lastPruneMs < this.pruneIntervalMs) return;
    this.lastPruneMs = now;
    await this.pruneExpired();
  }
}
