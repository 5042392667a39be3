/**
 * Brute force against the second step over HTTP (S16), on SQLite and on MariaDB. Default policy:
 * 3 free failures, then a backoff of 2 s doubling, and a lock at 10 consecutive failures. The
 * counter is per account in the database, so new sessions and cookie jars do not reset it.
 */
import * as chai from 'chai';
import { credentialOf, skipBackoff } from '../support/site-back-door';
import { BACKENDS, useSharedSite } from '../support/site-fixture';
import {
  codeForStep,
  enableTwoFactorUser,
  passwordStep,
  sleep,
  wrongCode,
  type TwoFactorUser,
} from '../support/two-factor-flows';

const { expect } = chai;

/** A syntactically valid backup code that is not the user's. */
const WRONG_BACKUP_CODE = 'ABCD-EFGH-JKLM-NPQR';

for (const backend of BACKENDS) {
  describe(`Brute force over HTTP (${backend})`, function () {
    this.timeout(120_000);
    const handle = useSharedSite(backend);

    async function fail(user: TwoFactorUser, times: number, fresh = false): Promise<number[]> {
      const statuses: number[] = [];
      let browser = await passwordStep(handle.url, user);
      for (let i = 0; i < times; i++) {
        if (fresh && i > 0) browser = await passwordStep(handle.url, user);
        statuses.push((await browser.challenge({ code: wrongCode(user.secret) })).status);
      }
      return statuses;
    }

    describe('when wrong codes pass the free attempts', () => {
      it('S16: answers 429 with Retry-After, refuses even a correct code during backoff, then accepts it', async () => {
        const user = await enableTwoFactorUser(handle.url, 'brute-backoff');
        expect(await fail(user, 4)).to.deep.equal([401, 401, 401, 401]);
        const browser = await passwordStep(handle.url, user);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const refused = await browser.challenge({ code });
        expect(refused.status).to.equal(429);
        expect(refused.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).to.be.within(1, 2);
        expect((await browser.session()).authenticated).to.equal(false);
        expect((await credentialOf(handle, user.email))?.failure_count, 'a refused attempt is not counted').to.equal(4);

        await sleep(retryAfter * 1000 + 300);
        const accepted = await browser.challenge({ code });
        expect(accepted.status, accepted.text).to.equal(200);
        expect((await credentialOf(handle, user.email))?.failure_count, 'success resets the counter').to.equal(0);
      });
    });

    describe('when every guess comes from a new session and cookie jar', () => {
      it('S16: the counter is per account, so the fifth jar is throttled', async () => {
        const user = await enableTwoFactorUser(handle.url, 'brute-jars');
        expect(await fail(user, 4, true)).to.deep.equal([401, 401, 401, 401]);
        const fresh = await passwordStep(handle.url, user);
        const res = await fresh.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(res.status).to.equal(429);
        expect((await credentialOf(handle, user.email))?.failure_count).to.equal(4);
      });
    });

    describe('when TOTP and backup-code guesses alternate', () => {
      it('S16: they share one budget', async () => {
        const user = await enableTwoFactorUser(handle.url, 'brute-shared');
        const browser = await passwordStep(handle.url, user);
        const statuses = [
          (await browser.challenge({ code: wrongCode(user.secret) })).status,
          (await browser.challenge({ backupCode: WRONG_BACKUP_CODE })).status,
          (await browser.challenge({ code: wrongCode(user.secret) })).status,
          (await browser.challenge({ backupCode: WRONG_BACKUP_CODE })).status,
        ];
        expect(statuses).to.deep.equal([401, 401, 401, 401]);
        const backup = await browser.challenge({ backupCode: user.backupCodes[0] });
        expect(backup.status, 'even the real backup code waits').to.equal(429);
        expect((await credentialOf(handle, user.email))?.failure_count).to.equal(4);
      });
    });

    describe("when one user's codes are guessed", () => {
      it("S16: another user's second step is untouched", async () => {
        const [victim, bystander] = await Promise.all([
          enableTwoFactorUser(handle.url, 'brute-victim'),
          enableTwoFactorUser(handle.url, 'brute-bystander'),
        ]);
        await fail(victim, 5);
        const res = await (
          await passwordStep(handle.url, bystander)
        ).challenge({ code: codeForStep(bystander.secret, bystander.confirmedStep + 1) });
        expect(res.status, res.text).to.equal(200);
        expect((await credentialOf(handle, bystander.email))?.failure_count).to.equal(0);
      });
    });

    describe('when ten consecutive failures accumulate (backoffs skipped in the database)', () => {
      it('S16: locks with 423, refuses the correct code in any session, and stays locked', async () => {
        const user = await enableTwoFactorUser(handle.url, 'brute-lock');
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) {
          await skipBackoff(handle, user.email);
          const browser = await passwordStep(handle.url, user);
          statuses.push(
            (await browser.challenge(i % 2 ? { backupCode: WRONG_BACKUP_CODE } : { code: wrongCode(user.secret) }))
              .status,
          );
        }
        expect(statuses.slice(0, 9)).to.deep.equal(Array(9).fill(401));
        expect(statuses[9]).to.equal(423);
        await skipBackoff(handle, user.email);
        const browser = await passwordStep(handle.url, user);
        const locked = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(locked.status).to.equal(423);
        expect(locked.body.error.code).to.equal('TWO_FACTOR_LOCKED');
        const withBackup = await browser.challenge({ backupCode: user.backupCodes[0] });
        expect(withBackup.status).to.equal(423);
        expect((await browser.session()).authenticated).to.equal(false);
        expect((await credentialOf(handle, user.email))?.locked_at).not.to.equal(null);
      });
    });
  });
}
