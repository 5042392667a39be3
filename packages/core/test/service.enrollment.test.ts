import * as chai from 'chai';
import { base32Decode, ConfigurationError, DEFAULT_PENDING_TTL_SECONDS, TwoFactorService } from '../src';
import { codeAt, enroll, failure, ISSUER, makeService, PASSWORD, success, wrongCode } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when enrollment begins', function () {
    it('S7: returns the secret, grouped secret, otpauth URI and local SVG once, pending for 10 minutes', async function () {
      const { service, clock } = makeService();
      const start = success(await service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      expect(start.secret).to.match(/^[A-Z2-7]{32}$/);
      expect(base32Decode(start.secret)).to.have.length(20);
      expect(start.secretForDisplay.replace(/ /g, '')).to.equal(start.secret);
      expect(start.secretForDisplay).to.match(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      expect(start.otpauthUrl).to.equal(
        `otpauth://totp/Acme%20Billing:ada%40example.com?secret=${start.secret}&issuer=Acme%20Billing&algorithm=SHA1&digits=6&period=30`,
      );
      expect(start.qrSvg).to.match(/^(<\?xml[^>]*>\s*)?<svg/);
      expect(DEFAULT_PENDING_TTL_SECONDS).to.equal(600);
      expect(start.expiresAt.getTime() - clock.nowMs()).to.equal(600_000);
      expect(await service.status('u1')).to.deep.equal({
        enabled: false,
        pending: true,
        pendingExpired: false,
        eligible: true,
        locked: false,
        backupCodesRemaining: 0,
        enabledAt: null,
        required: false,
        requiredBy: null,
      });
    });

    it('S7: keeps the secret encrypted in the store, never in plain or base32 form', async function () {
      const { service, store } = makeService();
      const start = success(await service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const record = await store.findByUserId('u1');
      const raw = base32Decode(start.secret) as Buffer;
      const stored = JSON.stringify(record);
      expect(record?.encryptedSecret).to.match(/^sf1\.k1\./);
      for (const form of [start.secret, raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')])
        expect(stored).to.not.include(form);
    });

    it('S4: answers an account name with a colon as a 400 outcome, storing nothing', async function () {
      const { service, store, events } = makeService();
      const outcome = failure(await service.beginEnrollment({ userId: 'u1', accountName: 'ada:admin' }));
      expect(outcome.error).to.include({ status: 400, code: 'TWO_FACTOR_INVALID_INPUT' });
      expect(outcome.reason).to.equal('malformed_input');
      expect(await store.findByUserId('u1')).to.equal(null);
      expect(events.at(-1)).to.include({ type: 'enrollment.failed', reason: 'malformed_input' });
    });

    it('fails at setup for an issuer with a colon', function () {
      expect(() => makeService({ issuer: 'Acme:Billing' })).to.throw(ConfigurationError);
      expect(() => makeService({ issuer: '  ' })).to.throw(ConfigurationError);
    });
  });

  describe('when the pending enrollment is confirmed', function () {
    it('S7: activates 2FA and returns one backup code by default', async function () {
      const fixture = makeService();
      const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const secret = base32Decode(start.secret) as Buffer;
      fixture.clock.advance({ minutes: 3 });
      const confirmed = success(
        await fixture.service.confirmEnrollment({ userId: 'u1', code: codeAt(secret, fixture.clock) }),
      );
      expect(confirmed.backupCodes).to.have.length(1);
      expect(confirmed.backupCodes[0]).to.match(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const status = await fixture.service.status('u1');
      expect(status).to.deep.equal({
        enabled: true,
        pending: false,
        pendingExpired: false,
        eligible: true,
        locked: false,
        backupCodesRemaining: 1,
        enabledAt: fixture.clock.now(),
        required: false,
        requiredBy: null,
      });
    });

    it('S12: consumes the confirming step, so the same code cannot sign in right after', async function () {
      const fixture = makeService();
      const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const code = codeAt(base32Decode(start.secret) as Buffer, fixture.clock);
      success(await fixture.service.confirmEnrollment({ userId: 'u1', code }));
      fixture.clock.advance({ seconds: 5 });
      const replay = failure(await fixture.service.verifyCode({ userId: 'u1', code }));
      expect(replay.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      expect(replay.reason).to.equal('replayed');
      expect(fixture.events.map((e) => e.type)).to.include('code.replayed');
    });

    it('refuses a wrong code with 401, counts it, and stays pending', async function () {
      const fixture = makeService();
      const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const outcome = failure(
        await fixture.service.confirmEnrollment({
          userId: 'u1',
          code: wrongCode(base32Decode(start.secret) as Buffer, fixture.clock),
        }),
      );
      expect(outcome.error.status).to.equal(401);
      expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      const record = await fixture.store.findByUserId('u1');
      expect(record?.state).to.equal('pending');
      expect(record?.failureCount).to.equal(1);
    });

    it('refuses a malformed code with 400 before looking at the enrollment', async function () {
      const fixture = makeService();
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const outcome = failure(await fixture.service.confirmEnrollment({ userId: 'u1', code: ['123456'] }));
      expect(outcome.error.code).to.equal('TWO_FACTOR_INVALID_INPUT');
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(0);
    });

    it('answers 409 TWO_FACTOR_NO_PENDING_ENROLLMENT when nothing was started', async function () {
      const { service } = makeService();
      const outcome = failure(await service.confirmEnrollment({ userId: 'nobody', code: '123456' }));
      expect(outcome.error.status).to.equal(409);
      expect(outcome.error.code).to.equal('TWO_FACTOR_NO_PENDING_ENROLLMENT');
    });
  });

  describe('when the pending enrollment is older than 10 minutes', function () {
    it('S7: accepts the code at 9:59 but not at 10:00', async function () {
      for (const [elapsedSeconds, accepted] of [
        [599, true],
        [600, false],
      ] as const) {
        const fixture = makeService();
        const start = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
        fixture.clock.advance({ seconds: elapsedSeconds });
        const outcome = await fixture.service.confirmEnrollment({
          userId: 'u1',
          code: codeAt(base32Decode(start.secret) as Buffer, fixture.clock),
        });
        expect(outcome.ok, `after ${elapsedSeconds} s`).to.equal(accepted);
        if (!outcome.ok) {
          expect(outcome.error.status).to.equal(409);
          expect(outcome.error.code).to.equal('TWO_FACTOR_ENROLLMENT_EXPIRED');
          expect(await fixture.service.status('u1')).to.include({ enabled: false, pending: false });
        }
      }
    });

    it('S7: a new enrollment can start after expiry', async function () {
      const fixture = makeService();
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      fixture.clock.advance({ minutes: 11 });
      const again = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      success(
        await fixture.service.confirmEnrollment({
          userId: 'u1',
          code: codeAt(base32Decode(again.secret) as Buffer, fixture.clock),
        }),
      );
      expect((await fixture.service.status('u1')).enabled).to.equal(true);
    });

    it('honours pendingTtlSeconds and refuses values outside 30..86400 at setup', function () {
      expect(() => makeService({ pendingTtlSeconds: 29 })).to.throw(ConfigurationError);
      expect(() => makeService({ pendingTtlSeconds: 86401 })).to.throw(ConfigurationError);
      expect(() => makeService({ pendingTtlSeconds: 60.5 })).to.throw(ConfigurationError);
      expect(() => makeService({ pendingTtlSeconds: 120 })).to.not.throw();
    });
  });

  describe('when enrollment begins again before confirmation', function () {
    it('S39: answers the same secret, URI and expiry while pending (Back, reload, a second tab), and that key confirms', async function () {
      const fixture = makeService();
      const first = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const stored = await fixture.store.findByUserId('u1');
      fixture.clock.advance({ minutes: 9 });
      const again = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      expect(first.resumed).to.equal(false);
      expect(again).to.include({
        resumed: true,
        secret: first.secret,
        secretForDisplay: first.secretForDisplay,
        otpauthUrl: first.otpauthUrl,
      });
      expect(again.expiresAt.getTime(), 'a resumed setup keeps its first expiry').to.equal(first.expiresAt.getTime());
      expect(await fixture.store.findByUserId('u1'), 'nothing is written').to.deep.equal(stored);
      expect(fixture.events.filter((event) => event.type === 'enrollment.started')).to.have.length(1);
      success(
        await fixture.service.confirmEnrollment({
          userId: 'u1',
          code: codeAt(base32Decode(first.secret) as Buffer, fixture.clock),
        }),
      );
    });

    it('S39: gives a new secret once the pending one expired', async function () {
      const fixture = makeService();
      const first = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      fixture.clock.advance({ minutes: 10 });
      expect(await fixture.service.status('u1')).to.include({ pending: false, pendingExpired: true });
      const second = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      expect(second.resumed).to.equal(false);
      expect(second.secret).to.not.equal(first.secret);
      expect(await fixture.service.status('u1')).to.include({ pending: true, pendingExpired: false });
    });

    it('S39: "start over with a new key" replaces the secret: the old one is dead, the new one works', async function () {
      const fixture = makeService();
      const first = success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      const second = success(
        await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com', startOver: true }),
      );
      expect(second.resumed).to.equal(false);
      expect(second.secret).to.not.equal(first.secret);
      const oldCode = codeAt(base32Decode(first.secret) as Buffer, fixture.clock);
      const newCode = codeAt(base32Decode(second.secret) as Buffer, fixture.clock);
      if (oldCode !== newCode)
        expect(failure(await fixture.service.confirmEnrollment({ userId: 'u1', code: oldCode })).error.code).to.equal(
          'TWO_FACTOR_INVALID_CODE',
        );
      success(await fixture.service.confirmEnrollment({ userId: 'u1', code: newCode }));
    });
  });

  describe('when 2FA is already enabled', function () {
    it('S7: refuses a new enrollment with 409 and never shows the secret again', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' });
      expect(failure(outcome).error.status).to.equal(409);
      expect(failure(outcome).error.code).to.equal('TWO_FACTOR_ALREADY_ENABLED');
      expect(JSON.stringify(outcome)).to.not.include(user.secretBase32);
      const record = await fixture.store.findByUserId('u1');
      expect(record?.state).to.equal('active');
    });

    it('refuses a second confirmation with 409 TWO_FACTOR_ALREADY_ENABLED', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const outcome = failure(
        await fixture.service.confirmEnrollment({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
      );
      expect(outcome.error.status).to.equal(409);
      expect(outcome.error.code).to.equal('TWO_FACTOR_ALREADY_ENABLED');
    });
  });

  describe('when asked for the status', function () {
    it('S7: never returns the secret, the URI or a backup code', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const status = await fixture.service.status('u1');
      expect(Object.keys(status).sort()).to.deep.equal([
        'backupCodesRemaining',
        'eligible',
        'enabled',
        'enabledAt',
        'locked',
        'pending',
        'pendingExpired',
        'required',
        'requiredBy',
      ]);
      const text = JSON.stringify(status);
      for (const hidden of [user.secretBase32, user.otpauthUrl, ...user.backupCodes])
        expect(text).to.not.include(hidden);
    });

    it('reports a user who never enrolled as disabled', async function () {
      const { service } = makeService();
      expect(await service.status('stranger')).to.deep.equal({
        enabled: false,
        pending: false,
        pendingExpired: false,
        eligible: true,
        locked: false,
        backupCodesRemaining: 0,
        enabledAt: null,
        required: false,
        requiredBy: null,
      });
    });
  });

  describe('when constructed with bad options', function () {
    it('fails at setup with a ConfigurationError', function () {
      const good = makeService();
      const base = {
        store: good.store,
        keyring: good.keyring,
        issuer: ISSUER,
        verifyPassword: async (_u: string, p: string) => p === PASSWORD,
      };
      for (const bad of [
        { ...base, store: undefined },
        { ...base, keyring: undefined },
        { ...base, verifyPassword: undefined },
        { ...base, backupCodeCount: 0 },
        { ...base, backupCodeCount: 21 },
        { ...base, scrypt: { log2N: 0 } },
      ]) {
        expect(() => new TwoFactorService(bad as never)).to.throw(ConfigurationError);
      }
      expect(() => new TwoFactorService(undefined as never)).to.throw(ConfigurationError);
    });
  });
});
