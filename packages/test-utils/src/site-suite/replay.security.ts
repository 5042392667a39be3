/**
 * Replay attacks over HTTP (S12, S15, S19). A valid code works once; parallel submissions race
 * through real connections to a real database, and exactly one wins.
 */
import * as chai from 'chai';
import { auditEventTypes, backupCodeRows } from './back-door';
import {
  beginEnrollment,
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  passwordStep,
  registerUser,
  submitOneCodeInParallel,
} from './flows';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Registers the replay tests against a started site. */
export function replayTests(site: SiteUnderTest): void {
  describe('replay over HTTP', () => {
    describe('when the same code is submitted twice', () => {
      it('S12, S15: accepts it once, refuses the second login and records code.replayed', async () => {
        const user = await enableTwoFactorUser(site.url, 'replay-twice', site.clock);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const first = await (await passwordStep(site.url, user)).challenge({ code });
        expect(first.status, first.text).to.equal(200);
        expect(first.body.status).to.equal('authenticated');

        const second = await passwordStep(site.url, user);
        const replay = await second.challenge({ code });
        expect(replay.status).to.equal(401);
        expect(replay.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        expect((await second.session()).authenticated).to.equal(false);
        expect(await auditEventTypes(site, user.email)).to.include('code.replayed');
      });
    });

    describe('when a replay, a wrong code and a wrong backup code are compared', () => {
      it('S14: a replay, a wrong code and a wrong backup code get the same answer', async () => {
        const user = await enableTwoFactorUser(site.url, 'replay-same-answer', site.clock);
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        expect((await (await passwordStep(site.url, user)).challenge({ code })).status).to.equal(200);
        const answers = [
          await (await passwordStep(site.url, user)).challenge({ code }),
          await (await passwordStep(site.url, user)).challenge({ code: code === '000000' ? '000001' : '000000' }),
          await (await passwordStep(site.url, user)).challenge({ backupCode: 'ABCD-EFGH-JKLM-NPQR' }),
        ];
        for (const res of answers) {
          expect(res.status).to.equal(401);
          expect(res.body).to.deep.equal(answers[0].body);
        }
      });
    });

    describe('when an older step follows a newer one', () => {
      it('S12: refuses the older code although it is inside the window', async () => {
        const user = await enableTwoFactorUser(site.url, 'replay-older', site.clock);
        site.clock.advance(30_000);
        const newer = await (
          await passwordStep(site.url, user)
        ).challenge({ code: codeForStep(user.secret, user.confirmedStep + 2) });
        expect(newer.status, newer.text).to.equal(200);

        const browser = await passwordStep(site.url, user);
        const older = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(older.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
      });
    });

    describe('when the code that confirmed enrollment is used to log in', () => {
      it('S12: refuses it, because confirmation consumed its step', async () => {
        const user = await enableTwoFactorUser(site.url, 'replay-confirming', site.clock);
        expect(currentStep(site.clock)).to.equal(user.confirmedStep);
        const browser = await passwordStep(site.url, user);
        const res = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep) });
        expect(res.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
        expect(await auditEventTypes(site, user.email)).to.include('code.replayed');
      });
    });

    describe('when 20 parallel sessions submit one valid code', () => {
      it('S12: exactly one signs in', async () => {
        const user = await enableTwoFactorUser(site.url, 'replay-parallel', site.clock);
        const { browsers, statuses } = await submitOneCodeInParallel([site.url], user);
        expect(
          statuses.filter((status) => status === 200),
          statuses.join(','),
        ).to.have.length(1);
        expect(
          statuses.every((status) => status === 200 || status === 401),
          statuses.join(','),
        ).to.equal(true);
        const sessions = await Promise.all(browsers.map((browser) => browser.session()));
        expect(sessions.filter((session) => session.authenticated)).to.have.length(1);
      });
    });

    describe('when one enrollment is confirmed 20 times in parallel', () => {
      it('S7, S12: exactly one confirmation enables 2FA, and the backup code it shows is the one stored', async () => {
        const user = await registerUser(site.url, 'replay-confirm-race');
        const { secret } = await beginEnrollment(user.browser);
        const token = await user.browser.csrfToken();
        const code = codeForStep(secret, currentStep(site.clock));
        const results = await Promise.all(
          Array.from({ length: 20 }, () => user.browser.confirm(code, { headers: { 'x-csrf-token': token } })),
        );
        const statuses = results.map((res) => res.status);
        const winners = results.filter((res) => res.status === 200);
        expect(winners, statuses.join(',')).to.have.length(1);
        expect(
          statuses.every((status) => [200, 401, 409].includes(status)),
          statuses.join(','),
        ).to.equal(true);
        const rows = await backupCodeRows(site, user.email);
        expect(rows).to.have.length(winners[0].body.backupCodes.length);
        const login = await (
          await passwordStep(site.url, user)
        ).challenge({ backupCode: winners[0].body.backupCodes[0] });
        expect(login.status, 'the code shown is the code that works').to.equal(200);
      });
    });

    describe('when 20 parallel sessions use one backup code', () => {
      it('S19: exactly one signs in and the code is spent', async () => {
        const user = await enableTwoFactorUser(site.url, 'replay-backup', site.clock);
        const browsers = await Promise.all(Array.from({ length: 20 }, () => passwordStep(site.url, user)));
        const tokens = await Promise.all(browsers.map((browser) => browser.csrfToken()));
        const [backupCode] = user.backupCodes;
        const results = await Promise.all(
          browsers.map((browser, i) => browser.challenge({ backupCode }, { headers: { 'x-csrf-token': tokens[i] } })),
        );
        const statuses = results.map((res) => res.status);
        expect(
          statuses.filter((status) => status === 200),
          statuses.join(','),
        ).to.have.length(1);
        // The losers are refused: a wrong/replayed code (401), or the throttle their failures triggered.
        expect(
          statuses.every((status) => [200, 401, 423, 429].includes(status)),
          statuses.join(','),
        ).to.equal(true);
        const winner = results.find((res) => res.status === 200);
        expect(winner?.body.backupCodes, 'a new code is shown once (S19)').to.be.an('array').with.length.greaterThan(0);
        expect(winner?.body.backupCodes).not.to.include(backupCode);
        const rows = await backupCodeRows(site, user.email);
        expect(rows.filter((row) => row.used_at === null)).to.have.length(winner?.body.backupCodes.length);
        const again = await (await passwordStep(site.url, user)).challenge({ backupCode });
        expect(again.status).to.be.oneOf([401, 423, 429]);
      });
    });
  });
}
