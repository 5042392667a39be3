/** A server-side session row, written by the TypeORM session store. */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One koa-session external-store entry. The cookie holds only the id; the data lives here, so
 * sessions survive restarts and are shared by every instance (DESIGN.md §9).
 *
 * @example
 * ```ts
 * await dataSource.getRepository(SessionRecord).delete({ id: 'abc' });
 * ```
 */
@Entity({ name: 'sessions' })
export class SessionRecord {
  /** The external key koa-session puts in the cookie. */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  /** The session object as JSON. */
  @Column({ type: 'text' })
  data!: string;

  /** Milliseconds since the epoch after which the row is dead. */
  @Index('idx_sessions_expires_at')
  @Column({
    name: 'expires_at',
    type: 'bigint',
    transformer: { to: (value: number) => value, from: (value: string | number) => Number(value) },
  })
  expiresAt!: number;
}
