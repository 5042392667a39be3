/**
 * Runs an example site's admin CLI (`npm run admin -- …`) as a child process against a site's
 * database and keys, the way support staff would.
 */
import { spawn } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { SITES, type SiteName } from './site-process';

const ROOT = resolve(__dirname, '..', '..');

/** What the CLI printed and how it ended. */
export interface AdminCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The site the CLI acts on: its database, keys and data folder (for the mail outbox). */
export interface AdminCliTarget {
  databaseUrl: string;
  keys: string;
  dataDir: string;
}

/**
 * Runs the site's `node dist/admin-cli.js <args>`, or with `viaNpm`, `npm run admin -w examples/<site> -- <args>`
 * from the repository root, as the docs show. Default: the Koa billing site's.
 */
export function runAdminCli(
  target: AdminCliTarget,
  args: string[],
  options: { viaNpm?: boolean; timeoutMs?: number; site?: SiteName; env?: Record<string, string> } = {},
): Promise<AdminCliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: target.databaseUrl,
    SECONDFACTOR_KEYS: target.keys,
    DATA_DIR: target.dataDir,
    SEED_DEMO: '0',
    ...options.env,
  })) {
    if (value !== undefined) env[key] = value;
  }
  const dir = SITES[options.site ?? 'koa'].dir;
  const [command, argv, cwd] = options.viaNpm
    ? ['npm', ['run', '--silent', 'admin', '-w', relative(ROOT, dir), '--', ...args], ROOT]
    : [process.execPath, [resolve(dir, 'dist', 'admin-cli.js'), ...args], dir];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
