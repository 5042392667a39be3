/**
 * The database servers and Redis the tests use, and what happens when one is missing: MariaDB
 * (MYSQL_URL) and PostgreSQL (POSTGRES_URL) suites are skipped with a printed reason when the URL is
 * unset or the server unreachable, and fail instead with REQUIRE_MYSQL=1 / REQUIRE_POSTGRES=1.
 * Redis (REDIS_URL, default the local one) is skipped with a reason when unreachable, unless REQUIRE_REDIS=1.
 */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Redis } from 'ioredis';

/** A server the suites can need. */
export type Server = 'mysql' | 'postgres' | 'redis';

interface ServerRule {
  label: string;
  urlVariable: string;
  requireVariable: string;
  defaultUrl?: string;
  example: string;
}

const RULES: Record<Server, ServerRule> = {
  mysql: {
    label: 'MariaDB',
    urlVariable: 'MYSQL_URL',
    requireVariable: 'REQUIRE_MYSQL',
    example: 'mysql://root@127.0.0.1:3306/test',
  },
  postgres: {
    label: 'PostgreSQL',
    urlVariable: 'POSTGRES_URL',
    requireVariable: 'REQUIRE_POSTGRES',
    example: 'postgres://root@127.0.0.1:5432/test',
  },
  redis: {
    label: 'Redis',
    urlVariable: 'REDIS_URL',
    requireVariable: 'REQUIRE_REDIS',
    defaultUrl: 'redis://127.0.0.1:6379/0',
    example: 'redis://127.0.0.1:6379/0',
  },
};

/** The URL of a server, or undefined when it is not configured. */
export function serverUrl(server: Server): string | undefined {
  return process.env[RULES[server].urlVariable] || RULES[server].defaultUrl;
}

/** Connection options for a MySQL/MariaDB or PostgreSQL URL, optionally on another database. */
export function sqlServerOptions(server: 'mysql' | 'postgres', database?: string): DataSourceOptions {
  const url = new URL(serverUrl(server) as string);
  const common = {
    host: url.hostname,
    username: decodeURIComponent(url.username) || 'root',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: database ?? (decodeURIComponent(url.pathname.slice(1)) || undefined),
    poolSize: 10,
  };
  return server === 'mysql'
    ? ({ type: 'mariadb', port: Number(url.port || 3306), timezone: 'Z', ...common } as DataSourceOptions)
    : ({ type: 'postgres', port: Number(url.port || 5432), ...common } as DataSourceOptions);
}

const probes = new Map<Server, Promise<void>>();

async function probe(server: Server): Promise<void> {
  if (server === 'redis') {
    const redis = new Redis(serverUrl('redis') as string, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
    return;
  }
  const admin = new DataSource({ ...sqlServerOptions(server), poolSize: 1 } as DataSourceOptions);
  await admin.initialize();
  await admin.destroy();
}

/**
 * A mocha `before` hook body: skips the suite with a printed reason when `server` is not
 * configured or does not answer, or fails the run when its REQUIRE_* variable is 1.
 */
export async function requireServer(context: Mocha.Context, server: Server): Promise<void> {
  const rule = RULES[server];
  const required = process.env[rule.requireVariable] === '1';
  const suite = context.test?.parent?.fullTitle() ?? `${rule.label} tests`;
  if (!serverUrl(server)) {
    if (required) throw new Error(`${rule.requireVariable}=1 but ${rule.urlVariable} is not set.`);
    console.log(`      skipping ${suite}: ${rule.urlVariable} is not set (e.g. ${rule.urlVariable}=${rule.example})`);
    context.skip();
  }
  if (!probes.has(server)) probes.set(server, probe(server));
  try {
    await probes.get(server);
  } catch (error) {
    const reason = `${rule.label} at ${rule.urlVariable} is unreachable (${(error as Error).message})`;
    if (required) throw new Error(`${rule.requireVariable}=1 but ${reason}`, { cause: error });
    console.log(`      skipping ${suite}: ${reason}`);
    context.skip();
  }
}
