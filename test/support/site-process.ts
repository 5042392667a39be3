/**
 * Runs an example site (the Koa billing site or the Express site) as a real child process (its own
 * port, database and keys), the way `npm start` and `npm run start:express` do, and captures every
 * line it prints so tests can search logs for leaked secrets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';

/** The two example sites. */
export type SiteName = 'koa' | 'express';

/** Every site, for `for (const name of SITE_NAMES) describe(...)`. */
export const SITE_NAMES: readonly SiteName[] = ['koa', 'express'];

/** A site's folder and its name in test titles. */
export const SITES: Readonly<Record<SiteName, { dir: string; label: string }>> = {
  koa: { dir: resolve(__dirname, '..', '..', 'examples', 'billing-site'), label: 'Koa billing site' },
  express: { dir: resolve(__dirname, '..', '..', 'examples', 'express-site'), label: 'Express site' },
};

/** Scratch space for test runs (git-ignored). */
export const TMP_DIR = resolve(__dirname, '..', '.tmp');

/**
 * A new empty folder under `test/.tmp` for one site's data (SQLite file, mail outbox, dev keys).
 */
export function makeDataDir(label: string): string {
  mkdirSync(TMP_DIR, { recursive: true });
  return mkdtempSync(resolve(TMP_DIR, `${label.replace(/[^a-z0-9-]/gi, '-')}-`));
}

/** One captured output line. */
export interface CapturedLine {
  stream: 'stdout' | 'stderr';
  text: string;
  at: number;
}

/** Options for {@link SiteProcess.start}. */
export interface SiteProcessOptions {
  /** Which site to start. Default the Koa billing site. */
  site?: SiteName;
  /**
   * Start it through the repository's npm script (`npm start`, `npm run start:express`), build
   * included, as the README says, instead of `node dist/main.js`.
   */
  viaNpmScript?: boolean;
  /** `sqlite:<file>`, `mysql://…` or `postgres://…` (docs/architecture.md#example-site-contract). */
  databaseUrl: string;
  /** Default: a free port. */
  port?: number;
  /** `SECONDFACTOR_KEYS`, e.g. `k1:<base64>`. Default: one fresh random key. */
  keys?: string;
  /** `SESSION_KEYS`; instances that share sessions need the same. Default: a fresh random key. */
  sessionKeys?: string;
  /** `DATA_DIR` (mail outbox, SQLite default). Default: a new folder from {@link makeDataDir}. */
  dataDir?: string;
  /** More environment variables (they win over the defaults). */
  env?: Record<string, string | undefined>;
  /** A label for error messages. */
  name?: string;
  /** How long to wait for the site to answer. Default 30 s. */
  readyTimeoutMs?: number;
}

/**
 * A fresh `kid:base64key` keyring entry for `SECONDFACTOR_KEYS`.
 */
export function randomKeyEntry(keyId: string): string {
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}

/**
 * An example site as a child process.
 */
export class SiteProcess {
  /** Every line printed since the first start, across restarts. */
  readonly lines: CapturedLine[] = [];
  private child: ChildProcess | null = null;
  private exitPromise: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private answering = false;

  private constructor(
    private options: SiteProcessOptions & { port: number; keys: string; sessionKeys: string; dataDir: string },
  ) {}

  /** Spawns the site and waits until it answers HTTP. */
  static async start(options: SiteProcessOptions): Promise<SiteProcess> {
    const main = resolve(SITES[options.site ?? 'koa'].dir, 'dist', 'main.js');
    if (!existsSync(main))
      throw new Error(`The example site is not built (${main} is missing): run \`npm run build\`.`);
    const site = new SiteProcess({
      ...options,
      port: options.port ?? (await freePort()),
      keys: options.keys ?? randomKeyEntry('k1'),
      sessionKeys: options.sessionKeys ?? randomBytes(32).toString('base64'),
      dataDir: options.dataDir ?? makeDataDir(options.name ?? 'site'),
    });
    await site.spawn();
    return site;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The listening port. */
  get port(): number {
    return this.options.port;
  }

  /** The child's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The site's `DATA_DIR`. */
  get dataDir(): string {
    return this.options.dataDir;
  }

  /** The keyring the site runs with. */
  get keys(): string {
    return this.options.keys;
  }

  /** True while the child runs. */
  get running(): boolean {
    return this.child !== null && this.exited === null;
  }

  /** True once the site answered HTTP, until a stop or kill begins: a load balancer's health check. */
  get ready(): boolean {
    return this.answering && this.running;
  }

  /** All captured output as one string. */
  output(): string {
    return this.lines.map((line) => `[${line.stream}] ${line.text}`).join('\n');
  }

  /** The child's resident set size in KiB (Linux `/proc`). */
  rssKiB(): number {
    if (!this.child?.pid) throw new Error('The site is not running.');
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!match) throw new Error('No VmRSS in /proc status.');
    return Number(match[1]);
  }

  /** Asks the site to stop (SIGTERM), then kills it after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.answering = false;
    if (!this.running || !this.child) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /** Kills the site at once (SIGKILL): no shutdown hook runs. */
  async kill(): Promise<void> {
    this.answering = false;
    if (!this.running || !this.child) return;
    this.signal('SIGKILL');
    await this.exitPromise;
  }

  /** Restarts on the same port, optionally with new environment (e.g. rotated keys). */
  async restart(changes: Partial<SiteProcessOptions> = {}): Promise<void> {
    await this.stop();
    this.options = {
      ...this.options,
      ...changes,
      env: { ...this.options.env, ...changes.env },
      port: this.options.port,
      keys: changes.keys ?? this.options.keys,
      sessionKeys: changes.sessionKeys ?? this.options.sessionKeys,
      dataDir: changes.dataDir ?? this.options.dataDir,
    };
    await this.spawn();
  }

  /** How the last run ended, or null while running. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | null {
    return this.exited;
  }

  /** Signals the site: its process group when started through npm, else the process. */
  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid || !this.running) return;
    if (this.options.viaNpmScript) process.kill(-pid, signal);
    else this.child?.kill(signal);
  }

  private async spawn(): Promise<void> {
    this.exited = null;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(this.options.port),
      DATABASE_URL: this.options.databaseUrl,
      SECONDFACTOR_KEYS: this.options.keys,
      SESSION_KEYS: this.options.sessionKeys,
      DATA_DIR: this.options.dataDir,
      SEED_DEMO: '0',
      // Every test client signs in from 127.0.0.1; the per-address limit (S32) has tests of its own.
      LOGIN_IP_LIMIT: '0',
      // Sessions live in the database unless a test asks for Redis.
      REDIS_URL: undefined,
      ...this.options.env,
    })) {
      if (value !== undefined) env[key] = value;
    }
    const site = this.options.site ?? 'koa';
    const dir = SITES[site].dir;
    // Through npm the site runs under npm's shell: its own process group, so a signal reaches the site too.
    const child = this.options.viaNpmScript
      ? spawn('npm', ['run', '--silent', site === 'koa' ? 'start' : 'start:express'], {
          cwd: resolve(dir, '..', '..'),
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        })
      : spawn(process.execPath, [resolve(dir, 'dist', 'main.js')], {
          cwd: dir,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
    this.child = child;
    this.exitPromise = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolveExit(this.exited);
      });
    });
    this.capture(child, 'stdout');
    this.capture(child, 'stderr');
    await this.waitUntilReady(this.options.readyTimeoutMs ?? 30000);
    this.answering = true;
  }

  private capture(child: ChildProcess, stream: 'stdout' | 'stderr'): void {
    let buffered = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const text of parts) this.lines.push({ stream, text, at: Date.now() });
    });
    child[stream]?.on('end', () => {
      if (buffered) this.lines.push({ stream, text: buffered, at: Date.now() });
      buffered = '';
    });
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(
          `${this.options.name ?? 'site'} exited (${JSON.stringify(this.exited)}) before answering:\n${this.output()}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/session`, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(2000),
        });
        await res.arrayBuffer();
        if (res.status < 500) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.options.name ?? 'site'} did not answer within ${timeoutMs} ms:\n${this.output()}`);
  }
}
