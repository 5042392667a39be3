/**
 * The {@link SessionBackend} over Redis (ioredis 5). Sessions expire by TTL; the per-user index
 * sets are cleaned on every write, touch, listing and revocation of that user, and by
 * `pruneExpired`. Needs one Redis (standalone, or Sentinel): a script touches a session and its
 * user's index, which Redis Cluster would place in different slots.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RevokeUserSessions, SessionBackend, SessionTouch, SessionWrite, StoredSession } from './session-backend';
import { REVOKE_SCRIPT, REVOKE_USER_SCRIPT, TOUCH_SCRIPT, WRITE_SCRIPT } from './redis-session-scripts';

/** Fields of a session hash, in the order {@link RedisSessionBackend} reads them. */
const FIELDS = ['data', 'user', 'created', 'seen', 'expires', 'ip', 'agent', 'revoked'] as const;

/** The most index entries a listing reads, newest expiry first. */
const MAX_LISTED = 1000;

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Escapes Redis glob characters, so a prefix like `app[1]:` matches only itself in SCAN. */
function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Sessions as Redis hashes under `prefix`. Not exported: use {@link RedisSessionStore}. */
export class RedisSessionBackend implements SessionBackend {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    if (!redis || typeof (redis as Partial<Redis>).evalsha !== 'function')
      throw new TypeError('RedisSessionStore needs an ioredis client.');
    if (redis.options?.keyPrefix)
      // ioredis prefixes KEYS but not script arguments or SCAN results: the index would miss.
      throw new TypeError("RedisSessionStore needs a client without `keyPrefix`; use the store's `prefix` option.");
  }

  async read(id: string, now: Date): Promise<StoredSession | null> {
    const values = await this.redis.hmget(this.sessionKey(id), ...FIELDS);
    return this.live(id, values, now);
  }

  async write(entry: SessionWrite): Promise<void> {
    await this.script(
      WRITE_SCRIPT,
      [this.sessionKey(entry.id)],
      [
        this.prefix,
        entry.id,
        entry.userId ?? '',
        entry.data,
        String(entry.now.getTime()),
        String(entry.expiresAt.getTime()),
        entry.maxLifetimeMs === null ? '' : String(entry.maxLifetimeMs),
        entry.ip ?? '',
        entry.userAgent ?? '',
      ],
    );
  }

  async touch(entry: SessionTouch): Promise<boolean> {
    const touched = await this.script(
      TOUCH_SCRIPT,
      [this.sessionKey(entry.id)],
      [
        this.prefix,
        entry.id,
        String(entry.now.getTime()),
        String(entry.expiresAt.getTime()),
        entry.maxLifetimeMs === null ? '' : String(entry.maxLifetimeMs),
        String(entry.seenAtOrBefore.getTime()),
        entry.ip ?? '',
        entry.userAgent ?? '',
      ],
    );
    return touched === 1;
  }

  async revoke(id: string): Promise<boolean> {
    return (await this.script(REVOKE_SCRIPT, [this.sessionKey(id)], [this.prefix, id])) === 1;
  }

  async listUserSessions(userId: string, now: Date, limit: number): Promise<StoredSession[]> {
    const userKey = this.userKey(userId);
    await this.redis.zremrangebyscore(userKey, '-inf', String(now.getTime()));
    const ids = await this.redis.zrevrange(userKey, 0, MAX_LISTED - 1);
    const sessions = await this.readMany(ids, now);
    return sessions
      .filter((session) => session.userId === userId)
      .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  async revokeUserSessions(selection: RevokeUserSessions): Promise<number> {
    const revoked = await this.script(
      REVOKE_USER_SCRIPT,
      [this.userKey(selection.userId)],
      [this.prefix, selection.userId, String(selection.now.getTime()), selection.only ?? '', selection.except ?? ''],
    );
    return Number(revoked);
  }

  /**
   * Removes index entries whose session has expired; Redis expires the sessions themselves. Returns
   * how many. A batch is one SCAN page that found index keys: pages of other applications' keys in a
   * shared Redis do not count, so the pass reaches this store's keys however many others there are.
   */
  async pruneExpired(now: Date, batchSize: number, maxBatches: number): Promise<number> {
    let removed = 0;
    let cursor = '0';
    let batches = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${globLiteral(this.prefix)}u:*`, 'COUNT', batchSize);
      for (const key of keys) removed += await this.redis.zremrangebyscore(key, '-inf', String(now.getTime()));
      if (keys.length > 0) batches++;
      cursor = next;
    } while (cursor !== '0' && batches < maxBatches);
    return removed;
  }

  async readAll(now: Date): Promise<StoredSession[]> {
    const ids = (await this.scanSessionKeys()).map((key) => key.slice(this.prefix.length + 2));
    return this.readMany(ids, now);
  }

  async count(now: Date): Promise<number> {
    return (await this.readAll(now)).length;
  }

  async revokeAll(now: Date): Promise<number> {
    let revoked = 0;
    for (const session of await this.readAll(now)) if (await this.revoke(session.id)) revoked++;
    return revoked;
  }

  private async readMany(ids: string[], now: Date): Promise<StoredSession[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.sessionKey(id), ...FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    const sessions: StoredSession[] = [];
    replies.forEach(([error, values], index) => {
      if (error) throw error;
      const session = this.live(ids[index], values as (string | null)[], now);
      if (session) sessions.push(session);
    });
    return sessions;
  }

  private live(id: string, values: (string | null)[], now: Date): StoredSession | null {
    const [data, user, created, seen, expires, ip, agent, revoked] = values;
    if (revoked !== null || data === null || created === null || seen === null || expires === null) return null;
    if (Number(expires) <= now.getTime()) return null;
    return {
      id,
      userId: user ? user : null,
      data,
      createdAt: new Date(Number(created)),
      lastSeenAt: new Date(Number(seen)),
      expiresAt: new Date(Number(expires)),
      ip: ip || null,
      userAgent: agent || null,
    };
  }

  private async scanSessionKeys(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${globLiteral(this.prefix)}s:*`, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return [...new Set(keys)];
  }

  /** EVALSHA, falling back to EVAL once when Redis has not cached the script (first use, restart, SCRIPT FLUSH). */
  private async script(lua: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(sha1(lua), keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(lua, keys.length, ...keys, ...args);
    }
  }

  private sessionKey(id: string): string {
    return `${this.prefix}s:${id}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}u:${userId}`;
  }
}
