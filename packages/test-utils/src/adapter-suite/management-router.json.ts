/** Every management route as an API client sees it: the exact JSON shapes of docs/architecture.md#http-contract. */
import * as chai from 'chai';
import { Client, MANAGEMENT } from './client';
import type { AdapterHost as Host, CreateHost } from './host';
import { ADA } from './world';

const { expect } = chai;

/** Registers these tests for one adapter's host. */
export function managementJsonTests(createHost: CreateHost): void {
  describe('management router (JSON)', () => {
    let host: Host;
    let ada: Client;

    beforeEach(async () => {
      host = createHost();
      ada = new Client(host);
      await ada.logInFully(ADA);
    });

    describe('when 2FA is off', () => {
      it('GET / answers exactly { enabled, pending, eligible, backupCodesRemaining, enabledAt, required, requiredBy }', async () => {
        const res = await ada.getJson(MANAGEMENT);
        expect(res.status).to.equal(200);
        expect(res.type).to.equal('application/json');
        expect(res.body).to.deep.equal({
          enabled: false,
          pending: false,
          eligible: true,
          backupCodesRemaining: 0,
          enabledAt: null,
          required: false,
          requiredBy: null,
        });
      });

      it('POST /enroll answers exactly { secret, otpauthUrl, qrSvg, expiresAt, resumed } and marks the enrollment pending', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/enroll`);
        expect(res.status).to.equal(200);
        expect(res.body).to.have.all.keys('secret', 'otpauthUrl', 'qrSvg', 'expiresAt', 'resumed');
        expect(res.body.resumed).to.equal(false);
        expect(new Date(res.body.expiresAt).toISOString()).to.equal(res.body.expiresAt);
        expect(res.body.secret).to.match(/^[A-Z2-7]{32}$/);
        expect(res.body.otpauthUrl).to.equal(
          `otpauth://totp/Acme%20Billing:ada%40example.com?secret=${res.body.secret}&issuer=Acme%20Billing&algorithm=SHA1&digits=6&period=30`,
        );
        expect(res.body.qrSvg).to.match(/^<svg[\s\S]*<\/svg>\s*$/);
        expect((await ada.getJson(MANAGEMENT)).body).to.include({ enabled: false, pending: true });
      });

      it('POST /confirm with the app code answers exactly { enabled: true, backupCodes } and turns 2FA on', async () => {
        const { secret } = (await ada.postJson(`${MANAGEMENT}/enroll`)).body;
        const res = await ada.postJson(`${MANAGEMENT}/confirm`, { code: host.world.codeFor(ADA.id, secret) });
        expect(res.status).to.equal(200);
        expect(res.body).to.have.all.keys('enabled', 'backupCodes');
        expect(res.body.enabled).to.equal(true);
        expect(res.body.backupCodes).to.have.length(1);
        expect(res.body.backupCodes[0]).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
        expect((await ada.getJson(MANAGEMENT)).body).to.deep.equal({
          enabled: true,
          pending: false,
          eligible: true,
          backupCodesRemaining: 1,
          enabledAt: host.world.clock.now().toISOString(),
          required: false,
          requiredBy: null,
        });
      });

      it('POST /confirm accepts the code with a space, as people type it', async () => {
        const { secret } = (await ada.postJson(`${MANAGEMENT}/enroll`)).body;
        const code = host.world.codeFor(ADA.id, secret);
        const res = await ada.postJson(`${MANAGEMENT}/confirm`, { code: `${code.slice(0, 3)} ${code.slice(3)}` });
        expect(res.status).to.equal(200);
      });

      it('POST /confirm with a wrong code answers 401 TWO_FACTOR_INVALID_CODE and leaves 2FA off', async () => {
        host.world.secrets.set(ADA.id, (await ada.postJson(`${MANAGEMENT}/enroll`)).body.secret);
        const res = await ada.postJson(`${MANAGEMENT}/confirm`, { code: host.world.wrongCodeFor(ADA.id) });
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_INVALID_CODE', message: 'The code is not valid. Try again.' },
        });
        expect((await ada.getJson(MANAGEMENT)).body.enabled).to.equal(false);
      });

      it('POST /confirm without an enrollment answers 409 TWO_FACTOR_NO_PENDING_ENROLLMENT', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/confirm`, { code: '123456' });
        expect(res.status).to.equal(409);
        expect(res.body.error.code).to.equal('TWO_FACTOR_NO_PENDING_ENROLLMENT');
      });

      it('POST /confirm after the enrollment expired answers 409 TWO_FACTOR_ENROLLMENT_EXPIRED', async () => {
        const { secret } = (await ada.postJson(`${MANAGEMENT}/enroll`)).body;
        host.world.clock.advance({ minutes: 11 });
        const res = await ada.postJson(`${MANAGEMENT}/confirm`, { code: host.world.codeFor(ADA.id, secret) });
        expect(res.status).to.equal(409);
        expect(res.body.error.code).to.equal('TWO_FACTOR_ENROLLMENT_EXPIRED');
      });

      it('POST /disable answers 409 TWO_FACTOR_NOT_ENABLED', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/disable`, { password: ADA.password });
        expect(res.status).to.equal(409);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_NOT_ENABLED', message: 'Two-factor authentication is not enabled.' },
        });
      });
    });

    describe('when 2FA is on', () => {
      beforeEach(async () => {
        await host.world.enroll(ADA.id);
      });

      it('POST /enroll answers 409 TWO_FACTOR_ALREADY_ENABLED', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/enroll`);
        expect(res.status).to.equal(409);
        expect(res.body).to.deep.equal({
          error: { code: 'TWO_FACTOR_ALREADY_ENABLED', message: 'Two-factor authentication is already enabled.' },
        });
      });

      it('POST /backup-codes with the password answers exactly { backupCodes } with a new code', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/backup-codes`, { password: ADA.password });
        expect(res.status).to.equal(200);
        expect(res.body).to.have.all.keys('backupCodes');
        expect(res.body.backupCodes).to.have.length(1);
        expect(res.body.backupCodes[0]).to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
        expect(host.world.events.map((event) => event.type)).to.include('backup_codes.regenerated');
      });

      it('POST /disable with the password answers exactly { enabled: false } and turns 2FA off', async () => {
        const res = await ada.postJson(`${MANAGEMENT}/disable`, { password: ADA.password });
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ enabled: false });
        expect((await ada.getJson(MANAGEMENT)).body).to.deep.equal({
          enabled: false,
          pending: false,
          eligible: true,
          backupCodesRemaining: 0,
          enabledAt: null,
          required: false,
          requiredBy: null,
        });
      });

      it('passes the client ip and user agent into the service events', async () => {
        await ada.agent
          .post(`${MANAGEMENT}/disable`)
          .set('Accept', 'application/json')
          .set('User-Agent', 'AuditBrowser/1.0')
          .set('x-csrf-token', await ada.csrf())
          .send({ password: ADA.password });
        const disabled = host.world.events.find((event) => event.type === 'disabled');
        expect(disabled).to.include({ userId: ADA.id, userAgent: 'AuditBrowser/1.0' });
        expect(disabled!.ip).to.be.a('string').and.not.be.empty;
      });
    });

    describe('when the client sends a form body but wants JSON', () => {
      it('reads the form and answers JSON', async () => {
        await host.world.enroll(ADA.id);
        const token = await ada.csrf();
        const res = await ada.agent
          .post(`${MANAGEMENT}/disable`)
          .set('Accept', 'application/json')
          .type('form')
          .send({ password: ADA.password, _csrf: token });
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({ enabled: false });
      });
    });
  });
}
