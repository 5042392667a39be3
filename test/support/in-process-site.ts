/**
 * Builds an example site in this process for the site suite of @secondfactor/test-utils: a fresh
 * database (SQLite, MariaDB or PostgreSQL), a fake clock the whole site reads, its log captured,
 * listening on an ephemeral port. `createApp` is the site's own, as `npm start` builds it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminExitCode,
  loadConfig,
  parseAdminArgs,
  runAdminCommand,
  type BuiltSite,
  type CreateApp,
  type SiteHashCost,
} from '@secondfactor/example-billing-shared';
import {
  FakeClock,
  type AdminOutcome,
  type Backend,
  type DatabaseDump,
  type SiteTarget,
  type SiteUnderTest,
} from '@secondfactor/test-utils';
import { dumpTables } from './database-dump';
import { skipWithoutRedis } from './redis';
import { prepareStorage, type Storage } from './site-fixture';

/** Where the fake clock starts: years from the real time (a code from the real clock is refused), 10 s into a step. */
const CLOCK_START = '2031-06-01T12:00:10Z';

/**
 * scrypt at a test cost: the suite registers and signs in thousands of times, and the production
 * cost (2^15 for passwords, 2^14 for backup codes) would make scrypt most of its run time. The
 * hashes carry their parameters, and the code paths are the same.
 */
const TEST_HASH_COST: SiteHashCost = {
  passwords: { N: 2 ** 12, r: 8, p: 1 },
  backupCodes: { log2N: 10, r: 8, p: 1 },
};

/**
 * A {@link SiteTarget} for one site's `createApp`.
 */
export function inProcessSite(name: string, createApp: CreateApp): SiteTarget {
  return {
    name,
    async start(context, { backend, label, env }) {
      if (env?.REDIS_URL) await skipWithoutRedis(context);
      const storage = await prepareStorage(context, backend, `${label}-${name.split(' ')[0].toLowerCase()}`);
      try {
        return await InProcessSite.start({ createApp, backend, storage, env: env ?? {} });
      } catch (error) {
        await storage.cleanup();
        throw error;
      }
    },
  };
}

interface StartOptions {
  createApp: CreateApp;
  backend: Backend;
  storage: Storage;
  env: Record<string, string>;
  /** A twin shares its original's keys and clock. */
  keys?: { secondFactor: string; session: string };
  clock?: FakeClock;
}

/** A site built in this process. */
export class InProcessSite implements SiteUnderTest {
  readonly logLines: string[] = [];
  private readonly twins: InProcessSite[] = [];
  private built!: BuiltSite;
  private server!: Server;
  private port = 0;

  private constructor(
    private readonly options: Required<StartOptions>,
    private env: Record<string, string>,
  ) {}

  /** Builds and listens. */
  static async start(options: StartOptions): Promise<InProcessSite> {
    const site = new InProcessSite(
      {
        ...options,
        keys: options.keys ?? {
          secondFactor: `k1:${randomBytes(32).toString('base64')}`,
          session: randomBytes(32).toString('base64'),
        },
        clock: options.clock ?? new FakeClock(CLOCK_START),
      },
      options.env,
    );
    await site.build();
    return site;
  }

  get backend(): Backend {
    return this.options.backend;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get clock(): FakeClock {
    return this.options.clock;
  }

  get dataDir(): string {
    return this.options.storage.dataDir;
  }

  get sqliteFile(): string | undefined {
    return this.options.storage.sqliteFile;
  }

  async sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    let index = 0;
    const text = this.backend === 'postgres' ? query.replace(/\?/g, () => `$${++index}`) : query;
    const result = (await this.built.context.dataSource.query(text, params)) as unknown;
    return /^\s*select\b/i.test(query) && Array.isArray(result) ? (result as T[]) : [];
  }

  dump(exclude?: RegExp): Promise<DatabaseDump> {
    return dumpTables((query) => this.built.context.dataSource.query(query), this.backend, exclude);
  }

  async admin(args: string[]): Promise<AdminOutcome> {
    const parsed = parseAdminArgs(args);
    if ('error' in parsed) return { exitCode: AdminExitCode.Usage, message: parsed.error };
    const result = await runAdminCommand(this.built.context, parsed);
    return { exitCode: result.exitCode, message: result.message };
  }

  async twin(): Promise<SiteUnderTest> {
    const twin = await InProcessSite.start({ ...this.options, env: this.env });
    this.twins.push(twin);
    return twin;
  }

  async restart(env: Record<string, string> = {}): Promise<void> {
    await this.shutDown();
    this.env = { ...this.env, ...env };
    await this.build();
  }

  async stop(): Promise<void> {
    for (const twin of this.twins.splice(0)) await twin.shutDown();
    await this.shutDown();
    await this.options.storage.cleanup();
  }

  private async build(): Promise<void> {
    const { storage, keys } = this.options;
    const config = loadConfig(
      {
        DATABASE_URL: storage.databaseUrl,
        DATA_DIR: storage.dataDir,
        SECONDFACTOR_KEYS: keys.secondFactor,
        SESSION_KEYS: keys.session,
        SEED_DEMO: '0',
        // Every audit row before the answer, so a test reads what the request did; the batching has tests of its own.
        AUDIT_BATCH_MS: '0',
        ...this.env,
      },
      { siteDir: storage.dataDir },
    );
    this.built = await this.options.createApp({
      config,
      clock: this.clock.clock,
      log: (line) => this.logLines.push(line),
      hashCost: TEST_HASH_COST,
    });
    this.server = createServer(this.built.listener);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async shutDown(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.built.close();
  }
}
