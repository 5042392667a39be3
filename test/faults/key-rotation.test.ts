/**
 * Key rotation while the site runs (S6, docs/architecture.md#scale-model): two instances on one MariaDB are restarted
 * one at a time with `SECONDFACTOR_KEYS="new:…,old:…"`, the typeorm `reencrypt` CLI rewrites every
 * secret under the new key, and the instances restart again with only the new key. A login loop,
 * routed like a load balancer to whichever instance is up, keeps signing users in throughout.
 */
import * as chai from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  passwordStep,
  REAL_CLOCK,
  sleep,
  type TwoFactorUser,
} from '@secondfactor/test-utils';
import { prepareStorage } from '../support/site-fixture';
import { randomKeyEntry, SiteProcess } from '../support/site-process';

const { expect } = chai;

const CLI = resolve(__dirname, '..', '..', 'packages', 'typeorm', 'dist', 'cli.js');

/** One login attempt of the loop. */
interface Attempt {
  phase: string;
  instance: string;
  status: number | string;
}

/**
 * Signs users in over and over, each time on the next instance that is up and not draining, with
 * a code for a step the user has not used yet (S12 would refuse a reused one).
 */
class LoginLoop {
  readonly attempts: Attempt[] = [];
  phase = 'old key';
  private readonly draining = new Set<SiteProcess>();
  private readonly lastStep = new Map<TwoFactorUser, number>();
  private running = false;
  private iteration: Promise<void> = Promise.resolve();
  private done: Promise<void> = Promise.resolve();
  private turn = 0;

  constructor(
    private readonly users: TwoFactorUser[],
    private readonly instances: Array<{ name: string; site: SiteProcess }>,
  ) {
    for (const user of users) this.lastStep.set(user, user.confirmedStep);
  }

  start(): void {
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        this.iteration = this.once();
        await this.iteration;
        // Paced, so the users' fresh steps (two per user per 30 s) last through every phase.
        await sleep(600);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** Takes an instance out of rotation and waits for the request in flight to finish. */
  async drain(site: SiteProcess): Promise<void> {
    this.draining.add(site);
    await this.iteration;
  }

  undrain(site: SiteProcess): void {
    this.draining.delete(site);
  }

  successes(phase: string): number {
    return this.attempts.filter((attempt) => attempt.phase === phase && attempt.status === 200).length;
  }

  async waitForSuccesses(phase: string, count: number, timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.successes(phase) < count) {
      if (Date.now() > deadline)
        throw new Error(
          `Only ${this.successes(phase)} logins in phase "${phase}": ${JSON.stringify(this.attempts.slice(-5))}`,
        );
      await sleep(100);
    }
  }

  private async once(): Promise<void> {
    const up = this.instances.filter(({ site }) => site.ready && !this.draining.has(site));
    const now = currentStep(REAL_CLOCK);
    const user = this.users.find((candidate) => Math.max(now, (this.lastStep.get(candidate) ?? 0) + 1) <= now + 1);
    if (up.length === 0 || !user) {
      await sleep(400);
      return;
    }
    const { name, site } = up[this.turn++ % up.length];
    const step = Math.max(now, (this.lastStep.get(user) ?? 0) + 1);
    this.lastStep.set(user, step);
    const phase = this.phase;
    try {
      const browser = await passwordStep(site.url, user);
      const res = await browser.challenge({ code: codeForStep(user.secret, step) });
      this.attempts.push({ phase, instance: name, status: res.status });
    } catch (error) {
      this.attempts.push({ phase, instance: name, status: error instanceof Error ? error.message : String(error) });
    }
  }
}

function runReencrypt(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, 'reencrypt', '--batch-size=5'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('Key rotation while two instances serve logins (MariaDB)', function () {
  this.timeout(180_000);
  let storage: Awaited<ReturnType<typeof prepareStorage>>;
  let a: SiteProcess;
  let b: SiteProcess;
  const oldKey = randomKeyEntry('old');
  const newKey = randomKeyEntry('new');

  before(async function () {
    this.timeout(90_000);
    storage = await prepareStorage(this, 'mysql', 'rotation');
    const shared = {
      databaseUrl: storage.databaseUrl,
      dataDir: storage.dataDir,
      keys: oldKey,
      sessionKeys: randomBytes(32).toString('base64'),
    };
    a = await SiteProcess.start({ ...shared, name: 'rotation-a' });
    b = await SiteProcess.start({ ...shared, name: 'rotation-b' });
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await storage?.cleanup();
  });

  describe('when keys rotate with rolling restarts and the reencrypt CLI', () => {
    it('S6: every login succeeds throughout, and every secret ends under the new key', async () => {
      const users = await Promise.all(
        Array.from({ length: 6 }, (_, i) => enableTwoFactorUser(i % 2 ? b.url : a.url, `rotation-${i}`, REAL_CLOCK)),
      );
      const keyIds = async () =>
        (await storage.db!.query<{ key_id: string }>('SELECT key_id FROM two_factor_credentials')).map(
          (row) => row.key_id,
        );
      expect(new Set(await keyIds())).to.deep.equal(new Set(['old']));
      const loop = new LoginLoop(users, [
        { name: 'A', site: a },
        { name: 'B', site: b },
      ]);
      const rollingRestart = async (keys: string) => {
        for (const site of [a, b]) {
          await loop.drain(site);
          await site.restart({ keys });
          loop.undrain(site);
        }
      };
      loop.start();
      try {
        await loop.waitForSuccesses('old key', 1);

        loop.phase = 'new,old keys';
        await rollingRestart(`${newKey},${oldKey}`);
        const late = await enableTwoFactorUser(a.url, 'rotation-late', REAL_CLOCK);
        expect(
          (
            await storage.db!.query<{ key_id: string }>(
              'SELECT key_id FROM two_factor_credentials WHERE user_id = (SELECT id FROM users WHERE email = ?)',
              [late.email],
            )
          )[0].key_id,
        ).to.equal('new');
        const lateLogin = await (
          await passwordStep(b.url, late)
        ).challenge({ code: codeForStep(late.secret, late.confirmedStep + 1) });
        expect(lateLogin.status, 'a secret under the new key works on the other instance').to.equal(200);
        await loop.waitForSuccesses('new,old keys', 1);

        loop.phase = 'reencrypted';
        const cli = await runReencrypt({ DATABASE_URL: storage.databaseUrl, SECONDFACTOR_KEYS: `${newKey},${oldKey}` });
        expect(cli.code, cli.stderr).to.equal(0);
        const summary = JSON.parse(cli.stdout);
        expect(summary).to.include({ currentKeyId: 'new', reencrypted: users.length });
        expect(new Set(await keyIds())).to.deep.equal(new Set(['new']));
        expect(cli.stdout + cli.stderr, 'the CLI prints no secret or key').not.to.include(newKey.split(':')[1]);
        await loop.waitForSuccesses('reencrypted', 1);

        loop.phase = 'new key only';
        await rollingRestart(newKey);
        await loop.waitForSuccesses('new key only', 1);
      } finally {
        await loop.stop();
      }
      const failed = loop.attempts.filter((attempt) => attempt.status !== 200);
      console.log(
        `      ${loop.attempts.length} logins across the rotation, ${failed.length} failed; per phase: ${['old key', 'new,old keys', 'reencrypted', 'new key only'].map((phase) => `${phase}=${loop.successes(phase)}`).join(', ')}`,
      );
      expect(failed, JSON.stringify(failed)).to.deep.equal([]);
    });
  });
});
