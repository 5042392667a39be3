/**
 * One fixture app in a fresh temporary folder: the existing app installed from the registry, the
 * guide's install line run with our packed tarballs, the wiring applied, type-checked and started.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The environment for npm and the app: the test's own, without what an enclosing `npm test` put in
 * it (npm reads `npm_config_*` as settings), plus a quiet, cache-first npm.
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^npm_/i.test(name) && name !== 'INIT_CWD') env[name] = value;
  return {
    ...env,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // The CI run's npm cache serves what it holds; anything missing still comes from the registry.
    npm_config_prefer_offline: 'true',
    ...extra,
  };
}

/** Runs a command in `cwd`; a failure carries its whole output. Answers stdout and the seconds it took. */
export async function timed(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  try {
    const { stdout } = await run(command, args, { cwd, env: cleanEnvironment(), maxBuffer: 64 * 1024 * 1024 });
    return { stdout, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** Every file under `dir`, relative to it. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const relative = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, relative)).isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

/** Packs the public packages into `dir` with `npm pack`; answers each package's tarball by name. */
export async function packPackages(root: string, names: string[], dir: string): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true });
  const workspaces = names.map((name) => ['-w', `packages/${name.replace('@secondfactor/', '')}`]).flat();
  const { stdout } = await timed('npm', ['pack', ...workspaces, '--pack-destination', dir, '--json'], root);
  const packed = JSON.parse(stdout) as Array<{ name: string; filename: string }>;
  return new Map(packed.map((entry) => [entry.name, join(dir, entry.filename)]));
}

/** A running app. */
export interface RunningApp {
  origin: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `node dist/main.js` in `cwd` on a free port and waits for its "listening on <port>" line. */
export function startApp(cwd: string, env: Record<string, string>): Promise<RunningApp> {
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    cwd,
    env: cleanEnvironment({ ...env, PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the app did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on (\d+)/.exec(output)?.[1];
      if (!port) return;
      clearTimeout(timer);
      resolvePromise({ origin: `http://127.0.0.1:${port}`, output: () => output, stop });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Copies the existing app (`before/`) into a fresh folder. */
export function cpFixture(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/** Copies the fixture's `after/` files over the app: the guide's wiring, applied. */
export function applyWiring(fixture: string, app: string): string[] {
  const files = filesUnder(join(fixture, 'after'));
  for (const file of files) cpSync(join(fixture, 'after', file), join(app, file));
  return files;
}

/**
 * Points npm at our tarballs for the packages the install line does not name (they come as
 * dependencies of those it names), since they are not on the registry: an `overrides` entry each.
 */
export function overrideTransitive(app: string, tarballs: Map<string, string>, named: string[]): void {
  const path = join(app, 'package.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { overrides?: Record<string, string> };
  manifest.overrides = {};
  for (const [name, tarball] of tarballs) if (!named.includes(name)) manifest.overrides[name] = `file:${tarball}`;
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Each source map under our installed packages whose `sources` name a file the package does not hold. */
export function brokenSourceMaps(app: string): string[] {
  const scope = join(app, 'node_modules', '@secondfactor');
  const broken: string[] = [];
  for (const name of readdirSync(scope)) {
    for (const file of filesUnder(join(scope, name)).filter((path) => path.endsWith('.map'))) {
      const map = JSON.parse(readFileSync(join(scope, name, file), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      const base = resolve(join(scope, name), dirname(file), map.sourceRoot ?? '');
      for (const source of map.sources)
        if (!existsSync(resolve(base, source))) broken.push(`@secondfactor/${name}/${file} -> ${source}`);
    }
  }
  return broken;
}
