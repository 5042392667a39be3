import { Keyring, TwoFactorService } from '@secondfactor/core';
import {
  createTypeOrmEventSink,
  twoFactorEntities,
  twoFactorMigrations,
  TypeOrmTwoFactorStore,
} from '@secondfactor/typeorm';
import { DataSource, EntitySchema } from 'typeorm';

// Your own entities and migrations stay exactly as they are; this stands in for them.
const User = new EntitySchema<{ id: number; email: string }>({
  name: 'User',
  tableName: 'users',
  columns: { id: { type: 'int', primary: true, generated: 'increment' }, email: { type: 'varchar', length: 255 } },
});
const yourMigrations: never[] = [];

/** MySQL or MariaDB through mysql2. */
export function createMysqlDataSource(env: Record<string, string | undefined> = process.env): DataSource {
  return new DataSource({
    type: 'mariadb', // 'mysql' for a MySQL server; both use mysql2
    host: env.DB_HOST ?? '127.0.0.1',
    port: Number(env.DB_PORT ?? 3306),
    username: env.DB_USER ?? 'root',
    password: env.DB_PASSWORD,
    database: env.DB_NAME ?? 'billing',
    timezone: 'Z',
    poolSize: 10,
    entities: [User, ...twoFactorEntities],
    migrations: [...yourMigrations, ...twoFactorMigrations],
    synchronize: false,
  });
}

/** PostgreSQL through pg. */
export function createPostgresDataSource(env: Record<string, string | undefined> = process.env): DataSource {
  return new DataSource({
    type: 'postgres',
    host: env.DB_HOST ?? '127.0.0.1',
    port: Number(env.DB_PORT ?? 5432),
    username: env.DB_USER ?? 'postgres',
    password: env.DB_PASSWORD,
    database: env.DB_NAME ?? 'billing',
    poolSize: 10,
    entities: [User, ...twoFactorEntities],
    migrations: [...yourMigrations, ...twoFactorMigrations],
    synchronize: false,
  });
}

/** SQLite through better-sqlite3. */
export function createSqliteDataSource(file = '.data/billing.sqlite'): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    entities: [User, ...twoFactorEntities],
    migrations: [...yourMigrations, ...twoFactorMigrations],
    synchronize: false,
  });
}

/** At start-up: migrate, then build the two-factor service over the store. */
export async function startTwoFactor(
  dataSource: DataSource,
  options: { keys: string; verifyPassword: (userId: string, password: string) => Promise<boolean> },
): Promise<TwoFactorService> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.runMigrations();
  return new TwoFactorService({
    store: new TypeOrmTwoFactorStore(dataSource),
    keyring: Keyring.parse(options.keys), // e.g. process.env.SECONDFACTOR_KEYS
    issuer: 'Acme Billing',
    verifyPassword: options.verifyPassword,
    audit: createTypeOrmEventSink(dataSource),
  });
}
