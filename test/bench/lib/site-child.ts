/**
 * Runs test/bench/site/bench-site.ts as a child process with an IPC channel, so the site has its
 * own event loop and its own memory figures, apart from the load generator.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A forked bench site. */
export class SiteChild {
  private nextId = 1;
  private readonly waiting = new Map<number, (message: Record<string, unknown>) => void>();
  private readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Record<string, number>,
  ) {
    child.on('message', (message: Record<string, unknown>) => {
      const id = message.id as number | undefined;
      if (id !== undefined) {
        this.waiting.get(id)?.(message);
        this.waiting.delete(id);
      }
    });
  }

  /**
   * Forks the site and waits for it to listen.
   */
  static async start(env: Record<string, string>): Promise<SiteChild> {
    const child = fork(path.join(__dirname, '..', 'site', 'bench-site.ts'), [], {
      // BENCH_SITE_NODE_ARGS passes flags to the site process only, e.g. `--cpu-prof` to profile it.
      // --expose-gc: the memory figures include the heap that survives a full collection.
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(process.env.BENCH_SITE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
      ],
      // The load generator signs thousands of users in from one address: no per-address limit (S32).
      env: { ...process.env, NODE_ENV: 'development', SEED_DEMO: '0', LOGIN_IP_LIMIT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const ports = await new Promise<Record<string, number>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bench site did not start within 60 s:\n${output.join('')}`)),
        60_000,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench site exited with ${code} before listening:\n${output.join('')}`));
      });
      child.on('message', (message: { type?: string; ports?: Record<string, number> }) => {
        if (message.type === 'ready' && message.ports) {
          clearTimeout(timer);
          resolve(message.ports);
        }
      });
    });
    child.removeAllListeners('exit');
    const site = new SiteChild(child, ports);
    site.output.push(...output);
    return site;
  }

  /** The child's pid. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends a command and waits for its answer. */
  request<T extends Record<string, unknown>>(
    type:
      | 'stats'
      | 'memory'
      | 'reset'
      | 'capture-start'
      | 'capture-stop'
      | 'capture-parameters-start'
      | 'capture-parameters-stop'
      | 'stop',
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench site did not answer "${type}"`)), 30_000);
      this.waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message as T);
      });
      this.child.send({ type, id });
    });
  }

  /** Stops the site (it closes its servers and database) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.request('stop').catch(() => this.child.kill('SIGKILL'));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
