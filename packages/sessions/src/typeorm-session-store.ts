/** The session store over a host's TypeORM DataSource: the store core on {@link TypeOrmSessionBackend}. */
import type { DataSource } from 'typeorm';
import { SessionStore, type SessionStoreOptions } from './session-store';
import { TypeOrmSessionBackend } from './typeorm-session-backend';

/**
 * Sessions in `secondfactor_sessions` on MySQL/MariaDB, SQLite or PostgreSQL, indexed by user.
 * Register {@link sessionEntities} on the DataSource and run {@link sessionMigrations} (or synchronise).
 * Hand it to koa-session with `koaSessionStore` or to express-session with `ExpressSessionStore`.
 *
 * @example
 * ```ts
 * import { TypeOrmSessionStore } from '@secondfactor/sessions/typeorm';
 * const sessions = new TypeOrmSessionStore(dataSource, { lifetime: { idleMinutes: 30, maxHours: 12 } });
 * ```
 */
export class TypeOrmSessionStore extends SessionStore {
  /**
   * @param dataSource The host's DataSource, with {@link sessionEntities} registered.
   * @param options Lifetime, user id, pruning and clock; see {@link SessionStoreOptions}.
   */
  constructor(dataSource: DataSource, options: SessionStoreOptions = {}) {
    super(new TypeOrmSessionBackend(dataSource), options);
  }
}
