/** Builds the TypeORM DataSource: the site's tables plus those of @secondfactor/typeorm and @secondfactor/sessions. */
import 'reflect-metadata';
import { sessionEntities, sessionMigrations } from '@secondfactor/sessions/typeorm';
import { twoFactorEntities, twoFactorMigrations } from '@secondfactor/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { siteEntities, siteMigrations } from './schema';
import { preparePrivateSqliteFile } from './sqlite-file';

/**
 * Creates (does not initialise) the DataSource for `config`: MySQL/MariaDB, PostgreSQL or SQLite.
 * SQLite runs in WAL mode with a busy timeout, so the admin CLI can write while the site runs; its
 * files are created 0600.
 */
export function createDataSource(config: DatabaseConfig): DataSource {
  const common = {
    entities: [...siteEntities, ...twoFactorEntities, ...sessionEntities],
    migrations: [...siteMigrations, ...twoFactorMigrations, ...sessionMigrations],
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (config.type === 'mysql') {
    return new DataSource({
      ...common,
      type: 'mysql',
      url: config.url,
      charset: 'utf8mb4',
      timezone: 'Z',
      connectTimeout: 5000,
    });
  }
  if (config.type === 'postgres') {
    return new DataSource({ ...common, type: 'postgres', url: config.url, connectTimeoutMS: 5000 });
  }
  preparePrivateSqliteFile(config.file);
  return new DataSource({ ...common, type: 'better-sqlite3', database: config.file, enableWAL: true, timeout: 5000 });
}
