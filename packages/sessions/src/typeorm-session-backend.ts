/**
 * The {@link SessionBackend} over a host's TypeORM DataSource (MySQL/MariaDB, SQLite, PostgreSQL).
 * Every write is one statement: an upsert that leaves tombstones alone, or a conditional UPDATE
 * checked by affected rows. Pruning deletes in bounded batches on the expiry index.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import type { RevokeUserSessions, SessionBackend, SessionTouch, SessionWrite, StoredSession } from './session-backend';
import { sessionDialectOf, type SessionDialect } from './create-session-table-migration';
import { sessionSchema } from './session-entity';

const COLUMNS = 'id, user_id, data, created_at, last_seen_at, expires_at, ip, user_agent';
/** What a tombstone keeps: its id and expiry (so it is pruned), nothing that names a user or a client. */
const TOMBSTONE = `revoked_at = :now, user_id = NULL, data = '{}', ip = NULL, user_agent = NULL`;

function toDate(value: unknown): Date {
  return new Date(Number(value));
}

function toRow(row: Record<string, unknown>): StoredSession {
  return {
    id: String(row.id),
    userId: row.user_id === null || row.user_id === undefined ? null : String(row.user_id),
    data: String(row.data),
    createdAt: toDate(row.created_at),
    lastSeenAt: toDate(row.last_seen_at),
    expiresAt: toDate(row.expires_at),
    ip: typeof row.ip === 'string' ? row.ip : null,
    userAgent: typeof row.user_agent === 'string' ? row.user_agent : null,
  };
}

/** Sessions in `secondfactor_sessions` through the DataSource's pool; hosts use {@link TypeOrmSessionStore}. */
export class TypeOrmSessionBackend implements SessionBackend {
  private readonly dialect: SessionDialect;
  private tableName: string | undefined;

  constructor(private readonly dataSource: DataSource) {
    if (!dataSource || typeof (dataSource as Partial<DataSource>).createQueryRunner !== 'function')
      throw new TypeError('TypeOrmSessionStore needs a TypeORM DataSource.');
    this.dialect = sessionDialectOf(dataSource.options?.type);
  }

  async read(id: string, now: Date): Promise<StoredSession | null> {
    const { rows } = await this.run(
      `SELECT ${COLUMNS} FROM ${this.table}
       WHERE id = :id AND revoked_at IS NULL AND expires_at > :now`,
      { id, now: now.getTime() },
    );
    return rows.length ? toRow(rows[0]) : null;
  }

  async write(entry: SessionWrite): Promise<void> {
    const now = entry.now.getTime();
    const wanted = entry.expiresAt.getTime();
    const params = {
      id: entry.id,
      userId: entry.userId,
      data: entry.data,
      now,
      insertExpiresAt: entry.maxLifetimeMs === null ? wanted : Math.min(wanted, now + entry.maxLifetimeMs),
      expiresAt: wanted,
      maxLifetimeMs: entry.maxLifetimeMs,
      ip: entry.ip,
      userAgent: entry.userAgent,
    };
    const values = `(${COLUMNS}) VALUES (:id, :userId, :data, :now, :now, :insertExpiresAt, :ip, :userAgent)`;
    if (this.dialect === 'mysql') {
      // MySQL has no conflict WHERE: each column keeps its value on a tombstone instead.
      const live = (value: string, kept: string) => `IF(revoked_at IS NULL, ${value}, ${kept})`;
      await this.run(
        `INSERT INTO ${this.table} ${values}
         ON DUPLICATE KEY UPDATE
           user_id = ${live('VALUES(user_id)', 'user_id')},
           data = ${live('VALUES(data)', 'data')},
           last_seen_at = ${live('VALUES(last_seen_at)', 'last_seen_at')},
           expires_at = ${live(this.cappedExpiry(entry.maxLifetimeMs, ''), 'expires_at')},
           ip = ${live('COALESCE(VALUES(ip), ip)', 'ip')},
           user_agent = ${live('COALESCE(VALUES(user_agent), user_agent)', 'user_agent')}`,
        params,
      );
      return;
    }
    await this.run(
      `INSERT INTO ${this.table} AS s ${values}
       ON CONFLICT (id) DO UPDATE SET
         user_id = excluded.user_id, data = excluded.data, last_seen_at = excluded.last_seen_at,
         expires_at = ${this.cappedExpiry(entry.maxLifetimeMs, 's.')},
         ip = COALESCE(excluded.ip, s.ip), user_agent = COALESCE(excluded.user_agent, s.user_agent)
       WHERE s.revoked_at IS NULL`,
      params,
    );
  }

  async touch(entry: SessionTouch): Promise<boolean> {
    const { affected } = await this.run(
      `UPDATE ${this.table}
       SET last_seen_at = :now, expires_at = ${this.cappedExpiry(entry.maxLifetimeMs, '')},
         ip = COALESCE(:ip, ip), user_agent = COALESCE(:userAgent, user_agent)
       WHERE id = :id AND revoked_at IS NULL AND expires_at > :now AND last_seen_at <= :seenAtOrBefore`,
      {
        id: entry.id,
        now: entry.now.getTime(),
        expiresAt: entry.expiresAt.getTime(),
        maxLifetimeMs: entry.maxLifetimeMs,
        seenAtOrBefore: entry.seenAtOrBefore.getTime(),
        ip: entry.ip,
        userAgent: entry.userAgent,
      },
    );
    return affected > 0;
  }

  async revoke(id: string, now: Date): Promise<boolean> {
    const { affected } = await this.run(
      `UPDATE ${this.table} SET ${TOMBSTONE}
       WHERE id = :id AND revoked_at IS NULL`,
      { id, now: now.getTime() },
    );
    return affected > 0;
  }

  async listUserSessions(userId: string, now: Date, limit: number): Promise<StoredSession[]> {
    // LIMIT is inlined as a validated integer: MySQL prepared statements are picky about bound LIMITs.
    const { rows } = await this.run(
      `SELECT ${COLUMNS} FROM ${this.table}
       WHERE ${this.userMatch} AND revoked_at IS NULL AND expires_at > :now
       ORDER BY last_seen_at DESC, id LIMIT ${Math.trunc(limit)}`,
      { userId, now: now.getTime() },
    );
    return rows.map(toRow);
  }

  async revokeUserSessions(selection: RevokeUserSessions): Promise<number> {
    const only = selection.only === undefined ? '' : ' AND id = :only';
    const except = selection.except === undefined ? '' : ' AND id <> :except';
    const { affected } = await this.run(
      `UPDATE ${this.table} SET ${TOMBSTONE}
       WHERE ${this.userMatch} AND revoked_at IS NULL AND expires_at > :now${only}${except}`,
      { userId: selection.userId, only: selection.only, except: selection.except, now: selection.now.getTime() },
    );
    return affected;
  }

  async pruneExpired(now: Date, batchSize: number, maxBatches: number): Promise<number> {
    const size = Math.trunc(batchSize);
    const sql =
      this.dialect === 'mysql'
        ? `DELETE FROM ${this.table} WHERE expires_at <= :now ORDER BY expires_at LIMIT ${size}`
        : `DELETE FROM ${this.table} WHERE id IN (
             SELECT id FROM ${this.table} WHERE expires_at <= :now ORDER BY expires_at LIMIT ${size}
             ${this.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : ''}
           )`;
    let removed = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      // Each batch is its own short statement, so sign-ins never wait behind one long delete.
      const { affected } = await this.run(sql, { now: now.getTime() });
      removed += affected;
      if (affected < size) break;
    }
    return removed;
  }

  async readAll(now: Date): Promise<StoredSession[]> {
    const { rows } = await this.run(
      `SELECT ${COLUMNS} FROM ${this.table}
       WHERE revoked_at IS NULL AND expires_at > :now`,
      { now: now.getTime() },
    );
    return rows.map(toRow);
  }

  async count(now: Date): Promise<number> {
    const { rows } = await this.run(
      `SELECT COUNT(*) AS live FROM ${this.table}
       WHERE revoked_at IS NULL AND expires_at > :now`,
      { now: now.getTime() },
    );
    return Number(rows[0]?.live ?? 0);
  }

  async revokeAll(now: Date): Promise<number> {
    const { affected } = await this.run(
      `UPDATE ${this.table} SET ${TOMBSTONE}
       WHERE revoked_at IS NULL AND expires_at > :now`,
      { now: now.getTime() },
    );
    return affected;
  }

  /** `:expiresAt`, lowered to `created_at + :maxLifetimeMs` when that is sooner (S33 absolute lifetime). */
  private cappedExpiry(maxLifetimeMs: number | null, alias: string): string {
    if (maxLifetimeMs === null) return ':expiresAt';
    const limit = `${alias}created_at + :maxLifetimeMs`;
    return `CASE WHEN ${limit} < :expiresAt THEN ${limit} ELSE :expiresAt END`;
  }

  /**
   * `user_id = :userId`, exactly. A MySQL table that `synchronize` created has the database's
   * default, usually case-insensitive collation: the binary comparison keeps `Bob` from ending `bob`'s sessions.
   */
  private get userMatch(): string {
    return this.dialect === 'mysql'
      ? 'user_id = :userId AND CAST(user_id AS BINARY) = CAST(:userId AS BINARY)'
      : 'user_id = :userId';
  }

  /**
   * The escaped table name from the entity metadata (so `entityPrefix` and a PostgreSQL `schema`
   * apply), with a clear error when the entity is not registered.
   */
  private get table(): string {
    if (this.tableName) return this.tableName;
    // Not initialized: the statement fails as "not connected", which hosts already treat as unavailable.
    if (!this.dataSource.isInitialized) return this.dataSource.driver.escape(String(sessionSchema.options.tableName));
    const name = sessionSchema.options.name;
    if (!this.dataSource.hasMetadata(name))
      throw new TypeError('The DataSource does not know the session entity: add ...sessionEntities to its `entities`.');
    this.tableName = this.dataSource
      .getMetadata(name)
      .tablePath.split('.')
      .map((part) => this.dataSource.driver.escape(part))
      .join('.');
    return this.tableName;
  }

  private async run(
    sql: string,
    params: Record<string, unknown>,
  ): Promise<{ rows: Record<string, unknown>[]; affected: number }> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    try {
      const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
      const result = await runner.query(query, values, true);
      return { rows: Array.isArray(result.records) ? result.records : [], affected: result.affected ?? 0 };
    } finally {
      await runner.release();
    }
  }
}
