/**
 * A site process killed with SIGKILL while it confirms an enrollment (S7, S12, S17): after a
 * restart the account is either fully enabled, with its backup-code hashes stored and the
 * confirming step consumed, or still pending. Never half. The Koa site on SQLite, MariaDB and
 * PostgreSQL, the Express site on SQLite.
 */
import {
  awayFromStepBoundary,
  backupCodeRows,
  beginEnrollment,
  codeForStep,
  credentialOf,
  currentStep,
  expectStatus,
  REAL_CLOCK,
  registerUser,
  SiteClient,
  sleep,
} from '@secondfactor/test-utils';
import * as chai from 'chai';
import { BACKENDS, useSiteProcess, type Backend } from '../support/site-fixture';
import { SITES, type SiteName } from '../support/site-process';

const { expect } = chai;

/** When to kill, as fractions of a normal confirmation's duration: before, during and after the work. */
const KILL_POINTS = [0.3, 0.7, 0.95, 1.2];

const RUNS: ReadonlyArray<{ site: SiteName; backend: Backend }> = [
  ...BACKENDS.map((backend) => ({ site: 'koa' as const, backend })),
  { site: 'express', backend: 'sqlite' },
];

for (const { site, backend } of RUNS) {
  describe(`The ${SITES[site].label} killed during enrollment confirmation (${backend})`, function () {
    this.timeout(180_000);
    const handle = useSiteProcess(backend, `sigkill-${site}`, { site });

    describe('when SIGKILL lands at different moments of POST /confirm', () => {
      it('S7, S17: after restart each account is fully enabled with backup-code hashes, or still pending; never half', async () => {
        // Calibrate: how long an undisturbed confirmation takes on this machine and backend.
        const probe = await registerUser(handle.url, 'sigkill-probe');
        const probeSecret = (await beginEnrollment(probe.browser)).secret;
        await awayFromStepBoundary(REAL_CLOCK, 4000);
        const probeToken = await probe.browser.csrfToken();
        const startedAt = Date.now();
        expectStatus(
          await probe.browser.confirm(codeForStep(probeSecret, currentStep(REAL_CLOCK)), {
            headers: { 'x-csrf-token': probeToken },
          }),
          200,
          'probe confirm',
        );
        const confirmMs = Date.now() - startedAt;

        const outcomes: string[] = [];
        let signedOut = 0;
        for (const delayMs of KILL_POINTS.map((point) => Math.round(point * confirmMs))) {
          const user = await registerUser(handle.url, `sigkill-${delayMs}`);
          const { secret } = await beginEnrollment(user.browser);
          await awayFromStepBoundary(REAL_CLOCK, 4000);
          const step = currentStep(REAL_CLOCK);
          const token = await user.browser.csrfToken();
          const inFlight = user.browser.confirm(codeForStep(secret, step), { headers: { 'x-csrf-token': token } }).then(
            (res) => `answered ${res.status}`,
            () => 'connection cut',
          );
          await sleep(delayMs);
          await handle.site.kill();
          const client = await inFlight;
          await handle.site.restart();

          const credential = await credentialOf(handle, user.email);
          const codes = await backupCodeRows(handle, user.email);
          expect(credential, 'the pending credential survives').not.to.equal(null);
          if (credential!.state === 'active') {
            expect(codes.length, 'active means the backup-code hashes are stored').to.equal(1);
            expect(codes.every((row) => row.used_at === null)).to.equal(true);
            expect(credential!.last_used_step, 'and the confirming step is consumed (S12)').to.equal(step);
            const status = await user.browser.twoFactorStatus();
            if (status.status === 401)
              // S31: the kill landed after enabling rotated the security stamp and before this session
              // took the new one, so it is signed out like every other session of the user.
              expect(status.body.error.code).to.equal('TWO_FACTOR_SIGN_IN_REQUIRED');
            else expect(status.body).to.include({ enabled: true, backupCodesRemaining: 1 });
          } else {
            expect(credential!.state).to.equal('pending');
            expect(codes, 'pending means no backup codes').to.deep.equal([]);
            expect(credential!.last_used_step).to.equal(null);
            // S31: enabling rotates the security stamp before the credential is activated. A kill
            // in between leaves 2FA pending and this session signed out like every other session
            // of the user: the user signs in again with the password alone (2FA is not on).
            let browser = user.browser;
            if ((await browser.twoFactorStatus()).status === 401) {
              browser = new SiteClient(handle.url);
              const signedIn = expectStatus(await browser.login(user.email, user.password), 200, 'sign in again');
              expect(signedIn.body.status, 'a pending enrollment asks for no code').to.equal('authenticated');
              signedOut += 1;
            }
            // Then the user confirms again, with a fresh step, once the process is back.
            const again = expectStatus(
              await browser.confirm(codeForStep(secret, currentStep(REAL_CLOCK) + 1)),
              200,
              'confirm after restart',
            );
            expect(again.body.backupCodes).to.have.length(1);
            expect(await backupCodeRows(handle, user.email)).to.have.length(1);
          }
          outcomes.push(`${delayMs} ms: ${credential!.state} (${client})`);
        }
        console.log(
          `      a confirmation takes ${confirmMs} ms; outcomes: ${outcomes.join('; ')}; pending and signed out (stamp rotated first): ${signedOut}`,
        );
        expect(handle.site.running).to.equal(true);
      });
    });
  });
}
