/**
 * SQL statements per sign-in on the Koa billing site (SQLite, in this process), counted by the
 * bench's TypeORM logger: the password step with and without a trusted device (S34). A trusted
 * device must cost at most one extra indexed read at the password step, and it spares the whole
 * challenge request. The figures are printed for docs/performance.md.
 */
import * as chai from 'chai';
import type { BuiltSite } from '@secondfactor/example-billing-shared';
import {
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  registerUser,
  SiteClient,
  STEP_MS,
  type SiteUnderTest,
  type TwoFactorUser,
} from '@secondfactor/test-utils';
import { createApp } from './site/example';
import { StatementCounter, type StatementCounts } from './site/statement-counter';
import { inProcessSite } from '../support/in-process-site';

const { expect } = chai;
const TRUSTED_DEVICE_COOKIE = 'sf_trusted_device';

describe('statements per sign-in (S34)', function () {
  this.timeout(120_000);
  let site: SiteUnderTest;
  const counter = new StatementCounter();

  before(async function () {
    site = await inProcessSite('Koa billing site', createApp).start(this, { backend: 'sqlite', label: 'statements' });
    (site as unknown as { built: BuiltSite }).built.context.dataSource.setOptions({ logger: counter });
  });

  after(async function () {
    await site?.stop();
  });

  /** Statements of `work`, after the audit batch of the requests before it went out. */
  async function count(work: () => Promise<void>): Promise<StatementCounts> {
    await new Promise((resolve) => setTimeout(resolve, 250));
    counter.reset();
    await work();
    return counter.snapshot();
  }

  function nextCode(user: TwoFactorUser): string {
    site.clock.advance(STEP_MS);
    return codeForStep(user.secret, currentStep(site.clock));
  }

  async function rememberedBrowser(user: TwoFactorUser): Promise<SiteClient> {
    const browser = new SiteClient(site.url);
    expectStatus(await browser.login(user.email, user.password), 200, 'login');
    const res = await browser.challenge({ code: nextCode(user), rememberDevice: true });
    expectStatus(res, 200, 'challenge');
    expect(browser.cookies.get(TRUSTED_DEVICE_COOKIE)).to.be.a('string');
    // The first use writes last-used (at most once an hour); the measured sign-ins come after it.
    expectStatus(await browser.logout(), 200, 'logout');
    expect((await browser.login(user.email, user.password)).body.status).to.equal('authenticated');
    expectStatus(await browser.logout(), 200, 'logout');
    return browser;
  }

  it('S34: a trusted device adds one indexed read at the password step and spares the challenge request', async () => {
    const plain = await registerUser(site.url, 'stmt-plain');
    const user = await enableTwoFactorUser(site.url, 'stmt-2fa', site.clock);
    const trusted = await rememberedBrowser(user);
    const browser = new SiteClient(site.url);
    await browser.session();
    await trusted.session();
    const plainBrowser = new SiteClient(site.url);
    await plainBrowser.session();

    const withoutTwoFactor = await count(async () => {
      expect((await plainBrowser.login(plain.email, plain.password)).body.status).to.equal('authenticated');
    });
    const passwordStepChallenged = await count(async () => {
      expect((await browser.login(user.email, user.password)).body.status).to.equal('two-factor-required');
    });
    const challenge = await count(async () => {
      expectStatus(await browser.challenge({ code: nextCode(user) }), 200, 'challenge');
    });
    const passwordStepTrusted = await count(async () => {
      expect((await trusted.login(user.email, user.password)).body.status).to.equal('authenticated');
    });

    const figures = {
      'no 2FA: POST /login': withoutTwoFactor,
      '2FA, no trusted device: POST /login': passwordStepChallenged,
      '2FA, no trusted device: POST /login/two-factor': challenge,
      '2FA, trusted device: POST /login': passwordStepTrusted,
    };
    for (const [what, counts] of Object.entries(figures))
      console.log(
        `      ${what}: ${counts.total} statements (2FA tables ${counts.two_factor_store}, audit ${counts.two_factor_audit}, sessions ${counts.sessions}, users ${counts.users}, transactions ${counts.transaction}, writes ${counts.writes})`,
      );
    console.log(
      `      a whole sign-in with 2FA: ${passwordStepChallenged.total + challenge.total} statements without a trusted device, ${passwordStepTrusted.total} with one`,
    );
    // At the password step, the trusted device is one read on the unique token hash more (S34).
    expect(passwordStepTrusted.two_factor_store).to.equal(passwordStepChallenged.two_factor_store + 1);
    expect(passwordStepTrusted.two_factor_store).to.equal(withoutTwoFactor.two_factor_store + 1);
    expect(passwordStepTrusted.total).to.be.below(passwordStepChallenged.total + challenge.total);
  });
});
