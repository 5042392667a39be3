/**
 * Password re-authentication under attack over HTTP (S29). The attacker holds a stolen signed-in
 * session and guesses the password that "disable 2FA" and "new backup code" ask for. Default
 * policy: 3 free failures, then a backoff of 2 s doubling, and a lock at 10 consecutive failures,
 * shared with codes. Every checked password leaves exactly one `reauth.failed` row (or a success),
 * so the audit table counts the password checks.
 */
import * as chai from 'chai';
import { auditEventTypes, credentialOf, waitOutBackoff } from './back-door';
import { enableTwoFactorUser, expectStatus, passwordStep, registerUser } from './flows';
import type { SiteResponse } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Guesses the default policy lets run at one instant: 3 free, and the 4th, whose failure starts the backoff. */
const AT_ONE_INSTANT = 4;
const MAX_FAILURES = 10;

function countStatuses(responses: readonly SiteResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

/** Registers the re-authentication attack tests against a started site. */
export function reauthenticationTests(site: SiteUnderTest): void {
  describe('password re-authentication under attack over HTTP', () => {
    describe('when a stolen session sends 12 parallel wrong passwords to disable, then 50 more in sequence', () => {
      it('S29: checks 10 passwords in all, none after the lock, and the correct one then gets 423 with 2FA still on', async () => {
        const user = await enableTwoFactorUser(site.url, 'reauth-lock', site.clock);
        const thief = user.browser.clone();
        const headers = { 'x-csrf-token': await thief.csrfToken() };

        const burst = await Promise.all(
          Array.from({ length: 12 }, (_, i) => thief.disable(`wrong guess ${i}`, { headers })),
        );
        expect(countStatuses(burst), burst.map((res) => res.text).join('\n')).to.deep.equal({
          401: AT_ONE_INSTANT,
          429: 12 - AT_ONE_INSTANT,
        });
        for (const res of burst.filter((r) => r.status === 429)) {
          expect(res.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
          expect(Number(res.headers.get('retry-after'))).to.be.at.least(1);
        }
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(AT_ONE_INSTANT);

        // The attacker waits out every backoff, as a patient one would.
        const sequential: number[] = [];
        for (let i = 0; i < 50; i++) {
          await waitOutBackoff(site, site.clock, user.email);
          sequential.push((await thief.disable(`later guess ${i}`, { headers })).status);
        }
        const untilLock = MAX_FAILURES - AT_ONE_INSTANT;
        expect(sequential.slice(0, untilLock - 1)).to.deep.equal(Array(untilLock - 1).fill(401));
        expect(sequential.slice(untilLock - 1), 'the guess that locks, and every one after').to.deep.equal(
          Array(50 - untilLock + 1).fill(423),
        );

        const correct = await thief.disable(user.password, { headers });
        expect(correct.status, correct.text).to.equal(423);
        expect(correct.body.error.code).to.equal('TWO_FACTOR_LOCKED');
        expect((await user.browser.twoFactorStatus()).body.enabled).to.equal(true);
        const credential = await credentialOf(site, user.email);
        expect(credential?.state).to.equal('active');
        expect(credential?.failure_count).to.equal(MAX_FAILURES);
        expect(credential?.locked_at).to.not.equal(null);

        const audit = await auditEventTypes(site, user.email);
        expect(count(audit, 'reauth.failed'), 'passwords checked').to.equal(MAX_FAILURES);
        expect(count(audit, 'locked.attempt'), 'refused after the lock, unchecked').to.equal(50 - untilLock + 1);
        expect(count(audit, 'disabled')).to.equal(0);
      });
    });

    describe('when a stolen session guesses the current password of the password change', () => {
      const change = (browser: Awaited<ReturnType<typeof registerUser>>['browser'], currentPassword: string) =>
        browser.post('/account/password', { json: { currentPassword, newPassword: 'a new password of mine' } });

      it('S29: without 2FA, three guesses are free, the fourth starts a backoff that refuses the right password, and the wait passes', async () => {
        const owner = await registerUser(site.url, 'reauth-password-change');
        for (let i = 0; i < 4; i++) {
          const wrong = await change(owner.browser, `guess ${i}`);
          expect(wrong.status, wrong.text).to.equal(401);
          expect(wrong.body.error.code).to.equal('INVALID_CREDENTIALS');
        }
        const throttled = await change(owner.browser, owner.password);
        expect(throttled.status, throttled.text).to.equal(429);
        expect(throttled.body.error.code).to.equal('TOO_MANY_ATTEMPTS');
        const wait = Number(throttled.headers.get('retry-after'));
        expect(wait).to.be.at.least(1);
        site.clock.advance({ seconds: wait + 1 });
        expectStatus(await change(owner.browser, owner.password), 200, 'password change after the wait');
      });

      it('S29: with 2FA on, each wrong password counts in the counter codes share, and a locked factor gets 423 unchecked', async () => {
        const user = await enableTwoFactorUser(site.url, 'reauth-password-change-2fa', site.clock);
        const headers = { 'x-csrf-token': await user.browser.csrfToken() };
        const wrong = await user.browser.post('/account/password', {
          json: { currentPassword: 'not my password', newPassword: 'a new password of mine' },
          headers,
        });
        expect(wrong.status, wrong.text).to.equal(401);
        expect(wrong.body.error.code).to.equal('INVALID_CREDENTIALS');
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(1);
        for (let i = 1; i < MAX_FAILURES; i++) {
          await waitOutBackoff(site, site.clock, user.email);
          await user.browser.post('/account/password', {
            json: { currentPassword: `guess ${i}`, newPassword: 'a new password of mine' },
            headers,
          });
        }
        const locked = await user.browser.post('/account/password', {
          json: { currentPassword: user.password, newPassword: 'a new password of mine' },
          headers,
        });
        expect(locked.status, locked.text).to.equal(423);
        expect(locked.body.error.code).to.equal('TWO_FACTOR_LOCKED');
        const audit = await auditEventTypes(site, user.email);
        expect(count(audit, 'reauth.failed'), 'passwords checked').to.equal(MAX_FAILURES);
      });
    });

    describe('when a stolen session sends 40 parallel requests for a new backup code, the correct password last', () => {
      it('S29: the correct password does not get through, 4 passwords are checked, and the old backup code still works', async () => {
        const user = await enableTwoFactorUser(site.url, 'reauth-burst', site.clock);
        const thief = user.browser.clone();
        const headers = { 'x-csrf-token': await thief.csrfToken() };
        const passwords = [...Array.from({ length: 39 }, (_, i) => `wrong guess ${i}`), user.password];

        const answers = await Promise.all(
          passwords.map((password) => thief.regenerateBackupCodes(password, { headers })),
        );
        expect(
          answers.filter((res) => res.status === 200).map((res) => res.text),
          'no new backup code',
        ).to.deep.equal([]);
        expect(countStatuses(answers)).to.deep.equal({ 401: AT_ONE_INSTANT, 429: 40 - AT_ONE_INSTANT });
        expect(answers.at(-1)?.body).to.not.have.property('backupCodes');
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(AT_ONE_INSTANT);
        const audit = await auditEventTypes(site, user.email);
        expect(count(audit, 'reauth.failed'), 'passwords checked').to.equal(AT_ONE_INSTANT);
        expect(count(audit, 'backup_codes.regenerated')).to.equal(0);

        await waitOutBackoff(site, site.clock, user.email);
        const owner = await passwordStep(site.url, user);
        expectStatus(await owner.challenge({ backupCode: user.backupCodes[0] }), 200, 'the old backup code');
      });
    });
  });
}
