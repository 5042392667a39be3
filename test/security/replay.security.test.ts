/**
 * Replay attacks over HTTP against the running example site (S12, S15, S19), on SQLite and on
 * MariaDB. A valid code works once; parallel submissions race, and exactly one wins.
 */
import * as chai from 'chai';
import { auditEventTypes, backupCodeRows } from '../support/site-back-door';
import { BACKENDS, useSharedSite } from '../support/site-fixture';
import {
  awayFromStepBoundary,
  beginEnrollment,
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  passwordStep,
  registerUser,
} from '../support/two-factor-flows';

const { expect } = chai;

for (const backend of BACKENDS) {
  describe(`Replay over HTTP (${backend})`, function () {
    this.timeout(90_000);
    const handle = useSharedSite(backend);

    describe('when the same code is submitted twice', () => {
      it('S12, S15: accepts it once, refuses the second login and records code.replayed', async () => {
        const user = await enableTwoFactorUser(handle.url, 'replay-twice');
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const first = await (await passwordStep(handle.url, user)).challenge({ code });
        expect(first.status, first.text).to.equal(200);
        expect(first.body.status).to.equal('authenticated');

        const second = await passwordStep(handle.url, user);
        const replay = await second.challenge({ code });
        expect(replay.status).to.equal(401);
        expect(replay.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
        expect((await second.session()).authenticated).to.equal(false);
        expect(await auditEventTypes(handle, user.email)).to.include('code.replayed');
      });
    });

    describe('when a replay, a wrong code and a wrong backup code are compared', () => {
      it('S14: a replay, a wrong code and a wrong backup code get the same answer', async () => {
        const user = await enableTwoFactorUser(handle.url, 'replay-same-answer');
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        expect((await (await passwordStep(handle.url, user)).challenge({ code })).status).to.equal(200);
        const answers = [
          await (await passwordStep(handle.url, user)).challenge({ code }),
          await (await passwordStep(handle.url, user)).challenge({ code: code === '000000' ? '000001' : '000000' }),
          await (await passwordStep(handle.url, user)).challenge({ backupCode: 'ABCD-EFGH-JKLM-NPQR' }),
        ];
        for (const res of answers) {
          expect(res.status).to.equal(401);
          expect(res.body).to.deep.equal(answers[0].body);
        }
      });
    });

    describe('when an older step follows a newer one', () => {
      it('S12: refuses the older code although it is inside the window', async () => {
        const user = await enableTwoFactorUser(handle.url, 'replay-older');
        const newer = await (
          await passwordStep(handle.url, user)
        ).challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) });
        expect(newer.status, newer.text).to.equal(200);

        const browser = await passwordStep(handle.url, user);
        const older = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep) });
        expect(older.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
      });
    });

    describe('when the code that confirmed enrollment is used to log in', () => {
      it('S12: refuses it, because confirmation consumed its step', async () => {
        await awayFromStepBoundary(8000);
        const user = await enableTwoFactorUser(handle.url, 'replay-confirming');
        expect(currentStep()).to.equal(user.confirmedStep);
        const browser = await passwordStep(handle.url, user);
        const res = await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep) });
        expect(res.status).to.equal(401);
        expect((await browser.session()).authenticated).to.equal(false);
        expect(await auditEventTypes(handle, user.email)).to.include('code.replayed');
      });
    });

    describe('when 20 parallel sessions submit one valid code', () => {
      it('S12: exactly one signs in', async () => {
        const user = await enableTwoFactorUser(handle.url, 'replay-parallel');
        const browsers = await Promise.all(Array.from({ length: 20 }, () => passwordStep(handle.url, user)));
        const tokens = await Promise.all(browsers.map((browser) => browser.csrfToken()));
        const code = codeForStep(user.secret, user.confirmedStep + 1);
        const results = await Promise.all(
          browsers.map((browser, i) => browser.challenge({ code }, { headers: { 'x-csrf-token': tokens[i] } })),
        );
        const statuses = results.map((res) => res.status);
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
        const user = await registerUser(handle.url, 'replay-confirm-race');
        const { secret } = await beginEnrollment(user.browser);
        await awayFromStepBoundary(5000);
        const token = await user.browser.csrfToken();
        const code = codeForStep(secret, currentStep());
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
        const rows = await backupCodeRows(handle, user.email);
        expect(rows).to.have.length(winners[0].body.backupCodes.length);
        const login = await (
          await passwordStep(handle.url, user)
        ).challenge({ backupCode: winners[0].body.backupCodes[0] });
        expect(login.status, 'the code shown is the code that works').to.equal(200);
      });
    });

    describe('when 20 parallel sessions use one backup code', () => {
      it('S19: exactly one signs in and the code is spent', async () => {
        const user = await enableTwoFactorUser(handle.url, 'replay-backup');
        const browsers = await Promise.all(Array.from({ length: 20 }, () => passwordStep(handle.url, user)));
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
        const rows = await backupCodeRows(handle, user.email);
        expect(rows.filter((row) => row.used_at === null)).to.have.length(winner?.body.backupCodes.length);
        const again = await (await passwordStep(handle.url, user)).challenge({ backupCode });
        expect(again.status).to.be.oneOf([401, 423, 429]);
      });
    });
  });
}
