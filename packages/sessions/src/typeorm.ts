/**
 * @secondfactor/sessions/typeorm: the session store over a TypeORM DataSource (MySQL/MariaDB,
 * SQLite, PostgreSQL), its entity and its migration.
 */
export { CreateSessionTable1767225600000 } from './create-session-table-migration';
export { SecondFactorSessionEntity } from './session-entity';
export { SESSION_TABLE } from './session-table';
export { sessionEntities, sessionMigrations } from './typeorm-entities';
export { TypeOrmSessionStore } from './typeorm-session-store';
