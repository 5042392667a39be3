/**
 * The session row, mapped with an EntitySchema (no decorators, no decorator metadata) whose column
 * types exist on MySQL/MariaDB, SQLite and PostgreSQL alike. Times are epoch milliseconds in
 * BIGINT columns: no time zone or `TIMESTAMP` quirk of any driver can shift an expiry.
 */
import { EntitySchema, type ValueTransformer } from 'typeorm';
import { SESSION_TABLE } from './session-table';

/** BIGINT arrives as a string from mysql2 and pg, as a number from SQLite; epoch ms stay far below 2^53. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/**
 * A session as stored in `secondfactor_sessions`. Use it as a repository target for reporting;
 * change sessions only through {@link TypeOrmSessionStore}.
 *
 * @example
 * ```ts
 * import { IsNull } from 'typeorm';
 * import { SecondFactorSessionEntity } from '@secondfactor/sessions/typeorm';
 * const sessions = dataSource.getRepository(SecondFactorSessionEntity);
 * const signedIn = await sessions.countBy({ userId: '42', revokedAt: IsNull() });
 * ```
 */
export class SecondFactorSessionEntity {
  /** The SHA-256 of the session id, in hex (the listing's `id`); the id itself is never stored. */
  id!: string;
  /** The host's user id, or null while nobody is signed in and on tombstones. */
  userId!: string | null;
  /** The session data as JSON. */
  data!: string;
  /** Epoch ms of the first write. */
  createdAt!: number;
  /** Epoch ms of the last write or touch. */
  lastSeenAt!: number;
  /** Epoch ms after which the row is dead and may be pruned. */
  expiresAt!: number;
  /** The client IP at the last write that recorded one. */
  ip!: string | null;
  /** The client User-Agent at the last write that recorded one. */
  userAgent!: string | null;
  /** Epoch ms the session was destroyed or revoked; a tombstone until `expiresAt`. */
  revokedAt!: number | null;
}

/** The mapping of {@link SecondFactorSessionEntity}; every column has an explicit type and name. */
export const sessionSchema = new EntitySchema<SecondFactorSessionEntity>({
  name: 'SecondFactorSessionEntity',
  target: SecondFactorSessionEntity,
  tableName: SESSION_TABLE.name,
  columns: {
    id: { name: 'id', type: 'varchar', length: 64, primary: true, primaryKeyConstraintName: SESSION_TABLE.primaryKey },
    userId: { name: 'user_id', type: 'varchar', length: 255, nullable: true },
    data: { name: 'data', type: 'text' },
    createdAt: { name: 'created_at', type: 'bigint', transformer: bigintAsNumber },
    lastSeenAt: { name: 'last_seen_at', type: 'bigint', transformer: bigintAsNumber },
    expiresAt: { name: 'expires_at', type: 'bigint', transformer: bigintAsNumber },
    ip: { name: 'ip', type: 'varchar', length: 64, nullable: true },
    userAgent: { name: 'user_agent', type: 'varchar', length: 512, nullable: true },
    revokedAt: { name: 'revoked_at', type: 'bigint', nullable: true, transformer: bigintAsNumber },
  },
  indices: [
    { name: SESSION_TABLE.userIndex, columns: ['userId'] },
    { name: SESSION_TABLE.expiryIndex, columns: ['expiresAt'] },
  ],
});
