import * as chai from 'chai';
import { NOTIFIABLE_EVENT_TYPES, TwoFactorEventType, type TwoFactorEvent } from '../src';
import { codeAt, enroll, failure, makeService, PASSWORD, success, wrongCode } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', function () {
  describe('when a user goes through every flow', function () {
    /** Runs enroll, login, replay, wrong codes, backup codes, regenerate, lock, unlock, disable and admin-disable. */
    async function fullFlow() {
      const fixture = makeService();
      const secrets: string[] = [];
      const start = success(
        await fixture.service.beginEnrollment({
          userId: 'u1',
          accountName: 'ada+billing@example.com',
          meta: { ip: '192.0.2.1' },
        }),
      );
      secrets.push(start.secret, start.secretForDisplay, start.otpauthUrl, encodeURIComponent(start.otpauthUrl));
      fixture.clock.advance({ seconds: 600 });
      failure(await fixture.service.confirmEnrollment({ userId: 'u1', code: '123456' }));
      const user = await enroll(fixture, 'u1');
      secrets.push(
        user.secretBase32,
        user.otpauthUrl,
        user.secret.toString('hex'),
        user.secret.toString('base64'),
        ...user.backupCodes,
      );
      const record = await fixture.store.findByUserId('u1');
      secrets.push(record?.encryptedSecret as string);

      const codes: string[] = [];
      const good = codeAt(user.secret, fixture.clock);
      codes.push(good);
      success(await fixture.service.verifyCode({ userId: 'u1', code: good }));
      failure(await fixture.service.verifyCode({ userId: 'u1', code: good }));
      const bad = wrongCode(user.secret, fixture.clock);
      codes.push(bad);
      failure(await fixture.service.verifyCode({ userId: 'u1', code: bad }));
      failure(await fixture.service.verifyCode({ userId: 'u1', code: 'x'.repeat(100) }));
      const used = success(
        await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0].toLowerCase() }),
      );
      secrets.push(
        user.backupCodes[0].toLowerCase(),
        user.backupCodes[0].replace(/-/g, ''),
        ...(used.backupCodes ?? []),
      );
      failure(await fixture.service.useBackupCode({ userId: 'u1', backupCode: user.backupCodes[0] }));
      failure(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: 'hunter2' }));
      const regenerated = success(await fixture.service.regenerateBackupCodes({ userId: 'u1', password: PASSWORD }));
      secrets.push(...regenerated.backupCodes, ...regenerated.backupCodes.map((c) => c.replace(/-/g, '')));
      for (let i = 0; i < 12; i++) {
        const guess = wrongCode(user.secret, fixture.clock);
        codes.push(guess);
        await fixture.service.verifyCode({ userId: 'u1', code: guess });
        fixture.clock.advance({ minutes: 20 });
      }
      success(await fixture.service.adminUnlock({ userId: 'u1', actorId: 'support-7' }));
      const later = codeAt(user.secret, fixture.clock);
      codes.push(later);
      success(await fixture.service.authenticate({ userId: 'u1', code: later }));
      // S34: a remembered browser; its token must never appear in an event either.
      const grant = await fixture.service.trustDevice({ userId: 'u1', label: 'Firefox on Linux' });
      if (!grant.ok) throw grant.error;
      codes.push(grant.token);
      success(await fixture.service.disable({ userId: 'u1', password: PASSWORD }));
      await enroll(fixture, 'u1');
      success(await fixture.service.adminDisable({ userId: 'u1', actorId: 'support-7' }));
      return { events: fixture.events, secrets, codes, passwords: [PASSWORD, 'hunter2'] };
    }

    let flow: Awaited<ReturnType<typeof fullFlow>>;
    before(async function () {
      flow = await fullFlow();
    });

    it('S27: no event contains a secret, a code, a backup code, a password or the otpauth URI', async function () {
      const { events, secrets, codes, passwords } = flow;
      expect(events.length).to.be.greaterThan(20);
      for (const event of events) {
        const text = JSON.stringify(event);
        for (const hidden of [...secrets, ...codes, ...passwords])
          expect(text, `${event.type} leaks ${hidden}`).to.not.include(hidden);
        expect(text).to.not.match(/otpauth|secret=/i);
      }
    });

    it('S27: every event carries only the documented fields', async function () {
      const { events } = flow;
      const allowed = [
        'type',
        'userId',
        'at',
        'reason',
        'method',
        'actorId',
        'failureCount',
        'retryAfterSeconds',
        'requiredBy',
        'ip',
        'userAgent',
      ];
      for (const event of events) expect(allowed).to.include.members(Object.keys(event));
      for (const event of events) expect(Object.values(TwoFactorEventType)).to.include(event.type);
    });

    it('S27: every failure event carries a reason', async function () {
      const { events } = flow;
      const failures = events.filter((e) => /failed|replayed|throttled|locked\.attempt|not_eligible/.test(e.type));
      expect(failures.length).to.be.greaterThan(5);
      for (const event of failures) expect(event.reason, event.type).to.be.a('string');
    });

    it('S26, S30: emits every notifiable event type in the flow, and exactly the documented set is notifiable', async function () {
      const { events } = flow;
      const notifiable = [
        'enabled',
        'disabled',
        'admin.disabled',
        'backup_code.used',
        'backup_codes.regenerated',
        'locked',
        'unlocked',
        'code.replayed',
        'trusted_device.added',
      ];
      // S36: the policy's "you have until …" notice is notifiable too; the policy tests emit it.
      expect([...NOTIFIABLE_EVENT_TYPES].sort()).to.deep.equal([...notifiable, 'enrollment.required'].sort());
      const seen = new Set(events.map((e) => e.type));
      for (const type of notifiable) expect(seen.has(type as TwoFactorEvent['type']), type).to.equal(true);
    });
  });

  describe('when the host passes request metadata with extra fields', function () {
    it('S27: events keep only ip and userAgent, so metadata cannot forge the type or subject or carry a code', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'u1');
      const code = codeAt(user.secret, fixture.clock);
      const meta = {
        ip: '192.0.2.5',
        userAgent: 'Firefox',
        type: 'enabled',
        userId: 'someone-else',
        code,
        password: PASSWORD,
      } as unknown as { ip: string };
      success(await fixture.service.verifyCode({ userId: 'u1', code, meta }));
      failure(await fixture.service.verifyCode({ userId: 'u1', code: ['x'], meta }));
      failure(await fixture.service.disable({ userId: 'u1', password: 'wrong', meta }));
      for (const event of fixture.events.slice(-3)) {
        expect(event.userId).to.equal('u1');
        expect(event).to.include({ ip: '192.0.2.5', userAgent: 'Firefox' });
        expect(event).to.not.have.any.keys('code', 'password');
        expect(JSON.stringify(event)).to.not.include(code);
      }
      expect(fixture.events.slice(-3).map((e) => e.type)).to.deep.equal([
        'code.verified',
        'code.failed',
        'reauth.failed',
      ]);
    });
  });

  describe('when an event sink throws', function () {
    it('the outcome stands and onEventError receives the error and event', async function () {
      const reported: Array<[unknown, TwoFactorEvent]> = [];
      const fixture = makeService({
        onEvent: () => {
          throw new Error('audit log down');
        },
        onEventError: (error, event) => {
          reported.push([error, event]);
        },
      });
      const user = await enroll(fixture, 'u1');
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      expect(reported.map(([, e]) => e.type)).to.deep.equal(['enrollment.started', 'enabled', 'code.verified']);
      expect((reported[0][0] as Error).message).to.equal('audit log down');
    });

    it('calls every sink of a list, in order', async function () {
      const order: string[] = [];
      const fixture = makeService({
        onEvent: [(e) => void order.push(`a:${e.type}`), async (e) => void order.push(`b:${e.type}`)],
      });
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'a@example.com' }));
      expect(order).to.deep.equal(['a:enrollment.started', 'b:enrollment.started']);
    });
  });
});
