/** The entity and migration lists a host adds to its DataSource. */
import type { EntitySchema } from 'typeorm';
import { CreateSessionTable1767225600000 } from './create-session-table-migration';
import { sessionSchema, type SecondFactorSessionEntity } from './session-entity';

/**
 * The session entity (an EntitySchema targeting {@link SecondFactorSessionEntity}), to spread into the
 * DataSource's `entities`, whether it migrates or synchronises.
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { sessionEntities } from '@secondfactor/sessions/typeorm';
 * const dataSource = new DataSource({
 *   type: 'better-sqlite3',
 *   database: 'app.sqlite',
 *   entities: [User, ...sessionEntities],
 *   synchronize: true,
 * });
 * ```
 */
export const sessionEntities: [EntitySchema<SecondFactorSessionEntity>] = [sessionSchema];

/**
 * Every migration of the session table, oldest first, to spread into the DataSource's `migrations`
 * (leave them out when the DataSource uses `synchronize: true`).
 *
 * @example
 * ```ts
 * import { DataSource } from 'typeorm';
 * import { sessionEntities, sessionMigrations } from '@secondfactor/sessions/typeorm';
 * const dataSource = new DataSource({
 *   type: 'mysql',
 *   url: process.env.DATABASE_URL,
 *   entities: [...sessionEntities],
 *   migrations: [...sessionMigrations],
 * });
 * await dataSource.initialize();
 * await dataSource.runMigrations();
 * ```
 */
export const sessionMigrations: [typeof CreateSessionTable1767225600000] = [CreateSessionTable1767225600000];
