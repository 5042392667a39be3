/**
 * A held load test of the second login step on MariaDB (docs/architecture.md#scale-model): autocannon blasts invalid
 * second-step traffic (wrong codes, wrong backup codes, malformed bodies) at attackers' pending
 * sessions while scripted users keep signing in with valid codes. It passes with zero 5xx, every
 * valid login accepted, no invalid one accepted, and a flat resident set size.
 *
 * `npm run test:load` holds it for 60 s; inside `npm test` it runs a short smoke version
 * (`LOAD_DURATION_SECONDS`, default 6) to keep CI fast.
 */
import { randomBytes } from 'node:crypto';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  passwordStep,
  REAL_CLOCK,
  sleep,
  wrongCode,
  type SiteClient,
  type TwoFactorUser,
} from '@secondfactor/test-utils';
import * as chai from 'chai';
import { prepareStorage } from '../support/site-fixture';
import { SiteProcess } from '../support/site-process';

const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

const { expect } = chai;

const DURATION_SECONDS = Number(process.env.LOAD_DURATION_SECONDS ?? 6);
const WARMUP_SECONDS = Math.min(5, Math.max(1, Math.round(DURATION_SECONDS / 10)));
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 8);
const VALID_WORKERS = 3;

/** A scripted user signing in again and again, each time with a code for a step not yet used. */
async function validLogins(
  site: SiteProcess,
  users: TwoFactorUser[],
  until: number,
  tally: Map<string, number>,
): Promise<void> {
  const lastStep = new Map(users.map((user) => [user, user.confirmedStep]));
  const busy = new Set<TwoFactorUser>();
  const worker = async () => {
    while (Date.now() < until) {
      const now = currentStep(REAL_CLOCK);
      const user = users.find((candidate) => !busy.has(candidate) && (lastStep.get(candidate) ?? 0) + 1 <= now + 1);
      if (!user) {
        await sleep(200);
        continue;
      }
      busy.add(user);
      const step = Math.max(now, (lastStep.get(user) ?? 0) + 1);
      lastStep.set(user, step);
      try {
        const browser = await passwordStep(site.url, user);
        const res = await browser.challenge({ code: codeForStep(user.secret, step) });
        tally.set(`valid ${res.status}`, (tally.get(`valid ${res.status}`) ?? 0) + 1);
        // The same code again, in a new session: a replay, refused (S12).
        const replay = await (await passwordStep(site.url, user)).challenge({ code: codeForStep(user.secret, step) });
        tally.set(`replay ${replay.status}`, (tally.get(`replay ${replay.status}`) ?? 0) + 1);
      } catch (error) {
        tally.set(
          `valid error ${(error as Error).message}`,
          (tally.get(`valid error ${(error as Error).message}`) ?? 0) + 1,
        );
      } finally {
        busy.delete(user);
      }
    }
  };
  await Promise.all(Array.from({ length: VALID_WORKERS }, worker));
}

describe('Second-step load on MariaDB (held)', function () {
  this.timeout((DURATION_SECONDS + 120) * 1000);
  let storage: Awaited<ReturnType<typeof prepareStorage>>;
  let site: SiteProcess;

  before(async function () {
    this.timeout(90_000);
    storage = await prepareStorage(this, 'mysql', 'load');
    site = await SiteProcess.start({ databaseUrl: storage.databaseUrl, dataDir: storage.dataDir, name: 'load' });
  });

  after(async () => {
    await site?.stop();
    await storage?.cleanup();
  });

  describe(`when mixed valid and invalid second-step traffic runs for ${DURATION_SECONDS} s`, () => {
    it('S12, S16: answers no 5xx, accepts every valid login and no invalid one, and RSS stays flat', async () => {
      const users = await Promise.all(
        Array.from({ length: 8 }, (_, i) => enableTwoFactorUser(site.url, `load-user-${i}`, REAL_CLOCK)),
      );
      const victims = await Promise.all(
        Array.from({ length: 3 }, (_, i) => enableTwoFactorUser(site.url, `load-victim-${i}`, REAL_CLOCK)),
      );
      const attackers: Array<{ cookie: string; token: string; secret: string }> = [];
      for (const victim of victims) {
        for (let i = 0; i < 3; i++) {
          const browser: SiteClient = await passwordStep(site.url, victim);
          attackers.push({ cookie: browser.cookieHeader(), token: await browser.csrfToken(), secret: victim.secret });
        }
      }
      const bodies = (secret: string): string[] => [
        JSON.stringify({ code: wrongCode(secret, REAL_CLOCK) }),
        JSON.stringify({ backupCode: `${randomBytes(2).toString('hex').toUpperCase()}-ZZZZ-ZZZZ-ZZZZ` }),
        JSON.stringify({ code: ['123456'] }),
        JSON.stringify({ code: '１２３４５６' }),
        JSON.stringify({}),
        '{"code":',
      ];

      const rss: Array<{ at: number; kib: number }> = [];
      const sampler = setInterval(() => rss.push({ at: Date.now(), kib: site.rssKiB() }), 1000);
      const tally = new Map<string, number>();
      const startedAt = Date.now();
      const until = startedAt + (DURATION_SECONDS + WARMUP_SECONDS) * 1000;
      let blast: AutocannonResult;
      try {
        [blast] = await Promise.all([
          autocannon({
            url: `${site.url}/login/two-factor`,
            connections: CONNECTIONS,
            duration: DURATION_SECONDS + WARMUP_SECONDS,
            method: 'POST',
            requests: [
              {
                setupRequest: (request: Record<string, unknown>) => {
                  const attacker = attackers[Math.floor(Math.random() * attackers.length)];
                  const options = bodies(attacker.secret);
                  return {
                    ...request,
                    headers: {
                      'content-type': 'application/json',
                      accept: 'application/json',
                      cookie: attacker.cookie,
                      'x-csrf-token': attacker.token,
                    },
                    body: options[Math.floor(Math.random() * options.length)],
                  };
                },
              },
            ],
          }),
          validLogins(site, users, until, tally),
        ]);
      } finally {
        clearInterval(sampler);
      }

      const afterWarmup = rss.filter((sample) => sample.at >= startedAt + WARMUP_SECONDS * 1000);
      const startKiB = afterWarmup[0]?.kib ?? rss[0].kib;
      const endKiB = rss[rss.length - 1].kib;
      const maxKiB = Math.max(...rss.map((sample) => sample.kib));
      const validTotal = [...tally]
        .filter(([key]) => key.startsWith('valid'))
        .reduce((sum, [, count]) => sum + count, 0);
      const report = {
        durationSeconds: DURATION_SECONDS + WARMUP_SECONDS,
        autocannon: {
          requests: blast.requests.total,
          perSecond: blast.requests.average,
          latencyMs: { p50: blast.latency.p50, p99: blast.latency.p99, max: blast.latency.max },
          '2xx': blast['2xx'],
          '4xx': blast['4xx'],
          '5xx': blast['5xx'],
          errors: blast.errors,
          timeouts: blast.timeouts,
          statuses: Object.fromEntries(Object.entries(blast.statusCodeStats).map(([code, stat]) => [code, stat.count])),
        },
        scripted: Object.fromEntries(tally),
        rssMiB: {
          start: +(startKiB / 1024).toFixed(1),
          end: +(endKiB / 1024).toFixed(1),
          max: +(maxKiB / 1024).toFixed(1),
        },
      };
      console.log(`      load report: ${JSON.stringify(report)}`);

      expect(blast['5xx'], 'no 5xx under attack traffic').to.equal(0);
      expect(blast.errors + blast.timeouts, 'no dropped connections').to.equal(0);
      expect(blast['2xx'], 'no invalid second step is ever accepted').to.equal(0);
      expect(blast.requests.total, 'the blast ran').to.be.greaterThan(DURATION_SECONDS * 5);
      expect(validTotal, 'valid logins ran alongside').to.be.greaterThan(0);
      expect(
        [...tally.keys()].filter((key) => !['valid 200', 'replay 401'].includes(key)),
        JSON.stringify(report.scripted),
      ).to.deep.equal([]);
      // Flat: after warm-up the resident set grows by less than a third and less than 64 MiB.
      expect(endKiB - startKiB, `RSS ${JSON.stringify(report.rssMiB)}`).to.be.below(Math.min(64 * 1024, startKiB / 3));
    });
  });
});
