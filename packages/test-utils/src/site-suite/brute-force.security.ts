/**
 * Brute force against the second step over HTTP (S16). Default policy: 3 free failures, then a
 * backoff of 2 s doubling, and a lock at 10 consecutive failures. The counter is per account in the
 * database, so new sessions and cookie jars do not reset it. Backoffs end by moving the site's clock.
 */
import * as chai from 'chai';
import { credentialOf, waitOutBackoff } from './back-door';
import { codeForStep, currentStep, enableTwoFactorUser, passwordStep, wrongCode, type TwoFactorUser } from './flows';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** A syntactically valid backup code that is not the user's. */
const WRONG_BACKUP_CODE = 'ABCD-EFGH-JKLM-NPQR';

/** Registers the brute-force tests against a started site. */
export function bruteForceTests(site: SiteUnderTest): void {
  describe('brute force over HTTP', () => {
    async function fail(user: TwoFactorUser, times: number, fresh = false): Promise<number[]> {
      const statuses: number[] = [];
      let browser = await passwordStep(site.url, user);
      for (let i = 0; i < times; i++) {
        if (fresh && i > 0) browser = await passwordStep(site.url, user);
        statuses.push((await browser.challenge({ code: wrongCode(user.secret, site.clock) })).status);
      }
      return statuses;
    }

    describe('when wrong codes pass the free attempts', () => {
      it('S16: answers 429 with Retry-After, refuses even a correct code during backoff, then accepts it', async () => {
        const user = await enableTwoFactorUser(site.url, 'brute-backoff', site.clock);
        expect(await fail(user, 4)).to.deep.equal([401, 401, 401, 401]);
        const browser = await passwordStep(site.url, user);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const refused = await browser.challenge({ code });
        expect(refused.status).to.equal(429);
        expect(refused.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).to.equal(2);
        expect((await browser.session()).authenticated).to.equal(false);
        expect((await credentialOf(site, user.email))?.failure_count, 'a refused attempt is not counted').to.equal(4);

        site.clock.advance({ seconds: retryAfter - 1 });
        expect((await browser.challenge({ code })).status, 'a second early is still too early').to.equal(429);
        site.clock.advance({ seconds: 1 });
        const accepted = await browser.challenge({ code });
        expect(accepted.status, accepted.text).to.equal(200);
        expect((await credentialOf(site, user.email))?.failure_count, 'success resets the counter').to.equal(0);
      });
    });

    describe('when every guess comes from a new session and cookie jar', () => {
      it('S16: the counter is per account, so the fifth jar is throttled', async () => {
        const user = await enableTwoFactorUser(site.url, 'brute-jars', site.clock);
        expect(await fail(user, 4, true)).to.deep.equal([401, 401, 401, 401]);
        const fresh = await passwordStep(site.url, user);
        const res = await fresh.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(res.status).to.equal(429);
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(4);
      });
    });

    describe('when TOTP and backup-code guesses alternate', () => {
      it('S16: they share one budget', async () => {
        const user = await enableTwoFactorUser(site.url, 'brute-shared', site.clock);
        const browser = await passwordStep(site.url, user);
        const statuses = [
          (await browser.challenge({ code: wrongCode(user.secret, site.clock) })).status,
          (await browser.challenge({ backupCode: WRONG_BACKUP_CODE })).status,
          (await browser.challenge({ code: wrongCode(user.secret, site.clock) })).status,
          (await browser.challenge({ backupCode: WRONG_BACKUP_CODE })).status,
        ];
        expect(statuses).to.deep.equal([401, 401, 401, 401]);
        const backup = await browser.challenge({ backupCode: user.backupCodes[0] });
        expect(backup.status, 'even the real backup code waits').to.equal(429);
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(4);
      });
    });

    describe("when one user's codes are guessed", () => {
      it("S16: another user's second step is untouched", async () => {
        const [victim, bystander] = await Promise.all([
          enableTwoFactorUser(site.url, 'brute-victim', site.clock),
          enableTwoFactorUser(site.url, 'brute-bystander', site.clock),
        ]);
        await fail(victim, 5);
        const res = await (
          await passwordStep(site.url, bystander)
        ).challenge({ code: codeForStep(bystander.secret, bystander.confirmedStep + 1) });
        expect(res.status, res.text).to.equal(200);
        expect((await credentialOf(site, bystander.email))?.failure_count).to.equal(0);
      });
    });

    describe('when ten consecutive failures accumulate, each after the backoff ran out', () => {
      it('S16: locks with 423, refuses the correct code in any session, and stays locked', async () => {
        const user = await enableTwoFactorUser(site.url, 'brute-lock', site.clock);
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) {
          await waitOutBackoff(site, site.clock, user.email);
          const browser = await passwordStep(site.url, user);
          statuses.push(
            (
              await browser.challenge(
                i % 2 ? { backupCode: WRONG_BACKUP_CODE } : { code: wrongCode(user.secret, site.clock) },
              )
            ).status,
          );
        }
        expect(statuses.slice(0, 9)).to.deep.equal(Array(9).fill(401));
        expect(statuses[9]).to.equal(423);
        // An hour on, far past the longest backoff: a lock lifts only by an admin or a recovery.
        site.clock.advance({ hours: 1 });
        const browser = await passwordStep(site.url, user);
        const locked = await browser.challenge({ code: codeForStep(user.secret, currentStep(site.clock)) });
        expect(locked.status).to.equal(423);
        expect(locked.body.error.code).to.equal('TWO_FACTOR_LOCKED');
        const withBackup = await browser.challenge({ backupCode: user.backupCodes[0] });
        expect(withBackup.status).to.equal(423);
        expect((await browser.session()).authenticated).to.equal(false);
        expect((await credentialOf(site, user.email))?.locked_at).not.to.equal(null);
      });
    });
  });
}
