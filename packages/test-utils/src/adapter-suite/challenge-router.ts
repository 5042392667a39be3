/** The second login step, as a browser and as an API client see it (docs/architecture.md#flows, #http-contract). */
import * as chai from 'chai';
import { CHALLENGE, Client } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { capture, formWithButton, liveErrors } from './html';
import { ADA } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function challengeTests(createHost: CreateHost): void {
  describe('challenge router', () => {
    let host: Host;
    let ada: Client;
    let backupCode: string;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      ({
        backupCodes: [backupCode],
      } = await host.world.enroll(ADA.id));
    });

    describe('when the password step left a pending login', () => {
      beforeEach(async () => {
        expect((await ada.logIn(ADA)).body).to.deep.equal({ status: 'two-factor-required' });
      });

      it('GET / answers { status: "two-factor-required" } to JSON', async () => {
        const res = await ada.getJson(CHALLENGE);
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ status: 'two-factor-required' });
      });

      it('GET / shows an accessible code form and a backup-code form to a browser', async () => {
        const res = await ada.getHtml(CHALLENGE);
        expect(res.status).to.equal(200);
        expect(res.type).to.equal('text/html');
        const codeForm = formWithButton(res.text, 'Verify');
        expect(codeForm.method).to.equal('post');
        expect(codeForm.action).to.equal(CHALLENGE);
        // S34: "Remember this browser for 30 days" in each form (the service's default trustedDeviceDays).
        expect(codeForm.fields).to.have.keys('_csrf', 'code', 'rememberDevice');
        expect(res.text).to.contain('<label for="sf-remember-code">Remember this browser for 30 days</label>');
        const input = capture(res.text, /(<input id="sf-challenge-code"[^>]*>)/);
        expect(res.text).to.contain('<label for="sf-challenge-code">Six-digit code</label>');
        for (const attribute of [
          'autocomplete="one-time-code"',
          'inputmode="numeric"',
          'pattern="[0-9 ]*"',
          'name="code"',
          'aria-describedby="sf-challenge-error"',
        ]) {
          expect(input).to.contain(attribute);
        }
        expect(res.text).to.match(/<div class="sf-error" id="sf-challenge-error" role="alert" aria-live="assertive">/);
        expect(formWithButton(res.text, 'Log in with backup code').fields).to.have.keys(
          '_csrf',
          'backupCode',
          'rememberDevice',
        );
        expect(res.text).to.contain('<label for="sf-challenge-backup-code">Backup code</label>');
      });

      it('POST / with the code answers exactly { status: "authenticated" } and signs the user in', async () => {
        const res = await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ status: 'authenticated' });
        expect(await ada.session()).to.include({ pending: false });
        expect((await ada.session()).user).to.deep.equal({ id: ADA.id, email: ADA.email });
        expect((await ada.getJson('/clientarea')).status).to.equal(200);
      });

      it('POST / with the code redirects a browser to successRedirect', async () => {
        const res = await ada.postForm(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal('/clientarea');
      });

      it('POST / with a wrong code answers 401 TWO_FACTOR_INVALID_CODE and keeps the login pending', async () => {
        const res = await ada.postJson(CHALLENGE, { code: host.world.wrongCodeFor(ADA.id) });
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_INVALID_CODE', message: 'The code is not valid. Try again.' },
        });
        expect(await ada.session()).to.include({ pending: true, user: null });
      });

      it('POST / with a wrong code shows the form again with the error announced', async () => {
        const res = await ada.postForm(CHALLENGE, { code: host.world.wrongCodeFor(ADA.id) });
        expect(res.status).to.equal(401);
        expect(liveErrors(res.text)).to.equal('The code is not valid. Try again.');
        expect(res.text).to.match(/<input id="sf-challenge-code"[^>]*aria-invalid="true"/);
      });

      it('POST / with a wrong backup code opens the backup-code form with the error', async () => {
        const res = await ada.postForm(CHALLENGE, { backupCode: 'AAAA-AAAA-AAAA-AAAA' });
        expect(res.status).to.equal(401);
        expect(res.text).to.contain('<details class="sf-backup-login" open>');
        expect(res.text).to.match(/<input id="sf-challenge-backup-code"[^>]*aria-invalid="true"/);
      });

      it('POST / with the backup code answers { status: "authenticated", backupCodes } with a new code that works once', async () => {
        const res = await ada.postJson(CHALLENGE, { backupCode });
        expect(res.status).to.equal(200);
        expect(res.body).to.have.all.keys('status', 'backupCodes');
        expect(res.body.status).to.equal('authenticated');
        expect(res.body.backupCodes).to.have.length(1);
        const [fresh] = res.body.backupCodes as string[];
        expect(fresh).to.not.equal(backupCode);
        expect(await host.world.service.status(ADA.id)).to.include({ enabled: true, backupCodesRemaining: 1 });

        const again = new Client(host);
        await again.logIn(ADA);
        expect((await again.postJson(CHALLENGE, { backupCode })).status, 'the used code is dead').to.equal(401);
        expect((await again.postJson(CHALLENGE, { backupCode: fresh.toLowerCase() })).body.status).to.equal(
          'authenticated',
        );
      });

      it('POST / with the backup code says that backup codes are valid once only and shows the new code once', async () => {
        const res = await ada.postForm(CHALLENGE, { backupCode });
        expect(res.status).to.equal(200);
        expect(res.headers['cache-control']).to.equal('no-store');
        expect(res.text).to.contain('Backup codes are valid once only, so it has been reset');
        expect(capture(res.text, /<li><code>([^<]+)<\/code><\/li>/))
          .to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/)
          .and.not.equal(backupCode);
        expect(res.text).to.contain('<a href="/clientarea">Continue</a>');
        expect((await ada.getJson('/clientarea')).status).to.equal(200);
      });

      it('S15: refuses a replayed code with 401', async () => {
        const code = host.world.codeFor(ADA.id);
        expect((await ada.postJson(CHALLENGE, { code })).status).to.equal(200);
        const other = new Client(host);
        await other.logIn(ADA);
        const replay = await other.postJson(CHALLENGE, { code });
        expect(replay.status).to.equal(401);
        expect(replay.body.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      });

      it('S16: answers 429 with Retry-After during backoff, then 423 TWO_FACTOR_LOCKED once locked, even for the right code a day later', async () => {
        const statuses: number[] = [];
        let throttled;
        for (let attempt = 0; attempt < 10; attempt += 1) {
          let res = await ada.postJson(CHALLENGE, { code: host.world.wrongCodeFor(ADA.id) });
          if (res.status === 429) {
            throttled ??= res;
            host.world.clock.advance({ seconds: Number(res.headers['retry-after']) });
            res = await ada.postJson(CHALLENGE, { code: host.world.wrongCodeFor(ADA.id) });
          }
          statuses.push(res.status);
        }
        expect(throttled, 'a backoff happened').to.not.equal(undefined);
        expect(throttled!.body.error.code).to.equal('TWO_FACTOR_THROTTLED');
        expect(Number(throttled!.headers['retry-after'])).to.be.greaterThan(0);
        expect(statuses.at(-1)).to.equal(423);
        host.world.clock.advance({ days: 1 });
        await ada.logIn(ADA);
        const locked = await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        expect(locked.status).to.equal(423);
        expect(locked.body).to.deep.equal({
          error: {
            code: 'TWO_FACTOR_LOCKED',
            message: 'Two-factor authentication is locked after too many failed attempts. Contact support.',
          },
        });
      });
    });

    describe('when there is no pending login', () => {
      it('GET / answers 401 TWO_FACTOR_NO_PENDING_LOGIN to JSON and redirects a browser to the login page', async () => {
        const json = await ada.getJson(CHALLENGE);
        expect(json.status).to.equal(401);
        expect(json.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_NO_PENDING_LOGIN', message: 'Your login has expired. Log in again.' },
        });
        const html = await ada.getHtml(CHALLENGE);
        expect(html.status).to.equal(302);
        expect(html.headers.location).to.equal('/login');
      });

      it('POST / answers 401 TWO_FACTOR_NO_PENDING_LOGIN and signs nobody in', async () => {
        const res = await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_LOGIN');
        expect((await ada.session()).user).to.equal(null);
      });

      it('GET / answers 409 TWO_FACTOR_ALREADY_SIGNED_IN to a signed-in JSON client and sends a signed-in browser on', async () => {
        await ada.logInFully(ADA);
        const json = await ada.getJson(CHALLENGE);
        expect(json.status).to.equal(409);
        expect(json.body.error.code).to.equal('TWO_FACTOR_ALREADY_SIGNED_IN');
        const html = await ada.getHtml(CHALLENGE);
        expect(html.status).to.equal(302);
        expect(html.headers.location).to.equal('/clientarea');
      });

      it('S20: POST / after the pending login expired answers 401 and the form leads back to the login page', async () => {
        await ada.logIn(ADA);
        host.world.clock.advance({ minutes: 11 });
        const res = await ada.postForm(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal('/login');
        expect(await ada.session()).to.include({ pending: false, user: null });
      });
    });
  });
}
