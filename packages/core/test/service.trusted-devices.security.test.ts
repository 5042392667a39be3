import { createHash } from 'node:crypto';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConfigurationError, MAX_TRUSTED_DEVICES_PER_USER, TwoFactorEventType } from '../src';
import { enroll, makeService, PASSWORD, success, type ServiceFixture } from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

async function remember(fixture: ServiceFixture, userId: string, label = 'Firefox on Windows'): Promise<string> {
  return success(await fixture.service.trustDevice({ userId, label, meta: { ip: '192.0.2.7' } })).token;
}

function decide(fixture: ServiceFixture, userId: string, deviceToken: unknown) {
  return fixture.service.passwordStep({ userId, deviceToken });
}

describe('TwoFactorService trusted devices', function () {
  describe('when a browser is remembered', function () {
    it('S34: the token has 256 bits and only its SHA-256 hash is stored', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      expect(Buffer.from(token, 'base64url')).to.have.length(32);
      const [row] = await fixture.store.listTrustedDevices('u1', fixture.clock.now());
      expect(row.tokenHash).to.equal(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(row)).to.not.include(token);
    });

    it('S34: two remembered browsers never get the same token', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      expect(await remember(fixture, 'u1')).to.not.equal(await remember(fixture, 'u1'));
    });

    it('S34: trusting is a notifiable event that carries no token', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      const added = fixture.events.find((event) => event.type === TwoFactorEventType.TrustedDeviceAdded);
      expect(added).to.include({ userId: 'u1', ip: '192.0.2.7' });
      expect(JSON.stringify(fixture.events)).to.not.include(token);
    });

    it('S34: a user without 2FA cannot trust a browser (409)', async function () {
      const fixture = makeService();
      const outcome = await fixture.service.trustDevice({ userId: 'nobody' });
      expect(outcome.ok).to.equal(false);
      expect(!outcome.ok && outcome.error.status).to.equal(409);
    });

    it('S34: keeps the label clean and bounded', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      await remember(fixture, 'u1', `Evil\u0000\u202e${'x'.repeat(500)}`);
      await remember(fixture, 'u1', '');
      const labels = (await fixture.service.listTrustedDevices({ userId: 'u1' })).map((device) => device.label);
      expect(labels).to.include('Unknown browser');
      for (const label of labels) {
        expect(label.length).to.be.at.most(100);
        expect(label).to.not.include('\u0000').and.to.not.include('\u202e');
      }
    });
  });

  describe('at the password step', function () {
    it('S34: a valid token of this user and credential skips the second factor', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      expect(await decide(fixture, 'u1', token)).to.include({ secondFactor: 'trusted-device' });
      expect(await decide(fixture, 'u1', undefined)).to.deep.equal({
        secondFactor: 'required',
        forgetDeviceToken: false,
      });
    });

    it("S34: another user's token does not skip, and the cookie is to be forgotten", async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      await enroll(fixture, 'u2');
      const token = await remember(fixture, 'u1');
      expect(await decide(fixture, 'u2', token)).to.deep.equal({ secondFactor: 'required', forgetDeviceToken: true });
    });

    it('S34: a token from before a re-enrollment (a new credential) does not skip', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(await decide(fixture, 'u1', token)).to.deep.equal({ secondFactor: 'off', forgetDeviceToken: true });
      await enroll(fixture, 'u1');
      expect(await decide(fixture, 'u1', token)).to.deep.equal({ secondFactor: 'required', forgetDeviceToken: true });
    });

    it('S34: an expired token does not skip', async function () {
      const fixture = makeService({ trustedDeviceDays: 1 });
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      fixture.clock.advance({ hours: 23 });
      expect(await decide(fixture, 'u1', token)).to.include({ secondFactor: 'trusted-device' });
      fixture.clock.advance({ hours: 1 });
      expect(await decide(fixture, 'u1', token)).to.deep.equal({ secondFactor: 'required', forgetDeviceToken: true });
    });

    it('S16, S34: a lock on the code does not stop a remembered browser (the token is not guessed)', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      const credential = await fixture.store.findByUserId('u1');
      await fixture.store.recordFailure({
        credentialId: credential!.id,
        now: fixture.clock.now(),
        decide: () => ({ backoffUntil: null, lock: true }),
      });
      expect((await fixture.store.findByUserId('u1'))?.lockedAt).to.be.instanceOf(Date);
      expect(await decide(fixture, 'u1', token)).to.include({ secondFactor: 'trusted-device' });
      expect(await decide(fixture, 'u1', undefined)).to.include({ secondFactor: 'required' });
    });

    it('S34: malformed tokens are refused before any hashing or lookup', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      for (const token of [['x'], 42, 'short', 'a'.repeat(44), `${'a'.repeat(42)}=`])
        expect(await decide(fixture, 'u1', token), String(token)).to.deep.equal({
          secondFactor: 'required',
          forgetDeviceToken: true,
        });
    });

    it('S34: last used is written at most once an hour, each write an event', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const token = await remember(fixture, 'u1');
      const used = () => fixture.events.filter((event) => event.type === TwoFactorEventType.TrustedDeviceUsed).length;
      await decide(fixture, 'u1', token);
      const first = (await fixture.service.listTrustedDevices({ userId: 'u1' }))[0].lastUsedAt;
      fixture.clock.advance({ minutes: 59 });
      await decide(fixture, 'u1', token);
      expect((await fixture.service.listTrustedDevices({ userId: 'u1' }))[0].lastUsedAt).to.deep.equal(first);
      expect(used()).to.equal(1);
      fixture.clock.advance({ minutes: 2 });
      await decide(fixture, 'u1', token);
      expect(used()).to.equal(2);
      expect((await fixture.service.listTrustedDevices({ userId: 'u1' }))[0].lastUsedAt).to.deep.equal(
        fixture.clock.now(),
      );
    });

    it('S34: with trustedDeviceDays 0 nothing skips and no browser can be remembered', async function () {
      const fixture = makeService({ trustedDeviceDays: 0 });
      await enroll(fixture, 'u1');
      expect(fixture.service.trustedDeviceDays).to.equal(0);
      await expect(fixture.service.trustDevice({ userId: 'u1' })).to.be.rejectedWith(ConfigurationError);
      expect(await decide(fixture, 'u1', 'a'.repeat(43))).to.deep.equal({
        secondFactor: 'required',
        forgetDeviceToken: true,
      });
    });

    it('S34: refuses a bad trustedDeviceDays at construction', function () {
      for (const trustedDeviceDays of [-1, 366, 1.5, Number.NaN])
        expect(() => makeService({ trustedDeviceDays }), String(trustedDeviceDays)).to.throw(ConfigurationError);
    });
  });

  describe('when devices are listed and revoked', function () {
    it('S34: lists label, created, last used and expiry, marking the current browser', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const first = await remember(fixture, 'u1', 'Firefox on Windows');
      fixture.clock.advance({ minutes: 1 });
      await remember(fixture, 'u1', 'Safari on iOS');
      const devices = await fixture.service.listTrustedDevices({ userId: 'u1', deviceToken: first });
      expect(devices.map((device) => [device.label, device.current])).to.deep.equal([
        ['Safari on iOS', false],
        ['Firefox on Windows', true],
      ]);
      expect(devices[0]).to.have.all.keys('id', 'label', 'createdAt', 'lastUsedAt', 'expiresAt', 'current');
    });

    it(`S34: keeps at most ${MAX_TRUSTED_DEVICES_PER_USER}, the oldest evicted`, async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const oldest = await remember(fixture, 'u1');
      for (let i = 0; i < MAX_TRUSTED_DEVICES_PER_USER; i++) {
        fixture.clock.advance({ seconds: 1 });
        await remember(fixture, 'u1');
      }
      expect(await fixture.service.listTrustedDevices({ userId: 'u1' })).to.have.length(MAX_TRUSTED_DEVICES_PER_USER);
      expect((await decide(fixture, 'u1', oldest)).secondFactor).to.equal('required');
    });

    it('S34: revokes one device; an unknown or foreign id revokes nothing', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      await enroll(fixture, 'u2');
      const token = await remember(fixture, 'u1');
      const [device] = await fixture.service.listTrustedDevices({ userId: 'u1' });
      expect(
        success(await fixture.service.revokeTrustedDevice({ userId: 'u2', deviceId: device.id })).revoked,
      ).to.equal(0);
      expect(success(await fixture.service.revokeTrustedDevice({ userId: 'u1', deviceId: 'nope' })).revoked).to.equal(
        0,
      );
      expect(
        success(await fixture.service.revokeTrustedDevice({ userId: 'u1', deviceId: device.id })).revoked,
      ).to.equal(1);
      expect((await decide(fixture, 'u1', token)).secondFactor).to.equal('required');
      expect(fixture.events.map((event) => event.type)).to.include(TwoFactorEventType.TrustedDeviceRevoked);
    });

    it('S34: revokes all with a reason, for "Revoke all" and for a password change', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      const tokens = [await remember(fixture, 'u1'), await remember(fixture, 'u1')];
      const outcome = await fixture.service.revokeTrustedDevices({ userId: 'u1', reason: 'password_changed' });
      expect(success(outcome).revoked).to.equal(2);
      for (const token of tokens) expect((await decide(fixture, 'u1', token)).secondFactor).to.equal('required');
      const event = fixture.events.find((e) => e.type === TwoFactorEventType.TrustedDevicesRevoked);
      expect(event).to.include({ userId: 'u1', reason: 'password_changed' });
      expect(success(await fixture.service.revokeTrustedDevices({ userId: 'u1', reason: 'user' })).revoked).to.equal(0);
    });

    it('S34: disable and admin disable delete every device with the credential', async function () {
      const fixture = makeService();
      await enroll(fixture, 'u1');
      await remember(fixture, 'u1');
      success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      expect(await fixture.store.listTrustedDevices('u1', fixture.clock.now())).to.deep.equal([]);
      await enroll(fixture, 'u1');
      await remember(fixture, 'u1');
      success(await fixture.service.adminDisable({ userId: 'u1', actorId: 'support-1' }));
      expect(await fixture.store.listTrustedDevices('u1', fixture.clock.now())).to.deep.equal([]);
    });
  });
});
