import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { ConfigurationError, StoreUnavailableError, type TwoFactorEvent, type TwoFactorServiceOptions } from '../src';
import {
  codeAt,
  enroll,
  makeService,
  PASSWORD,
  success,
  wrongCode,
  type ServiceFixture,
} from './support/service-fixture';

chai.use(chaiAsPromised);
const { expect } = chai;

interface AuditFixture extends ServiceFixture {
  /** Rows the audit sink wrote. */
  audited: TwoFactorEvent[];
  /** Events the best-effort (notification) sink received. */
  notified: TwoFactorEvent[];
  /** While true, every audit write throws, as a broken audit table would. */
  broken: { value: boolean };
}

function auditedService(overrides: Partial<TwoFactorServiceOptions> = {}): AuditFixture {
  const audited: TwoFactorEvent[] = [];
  const notified: TwoFactorEvent[] = [];
  const broken = { value: false };
  const fixture = makeService({
    audit: async (event) => {
      if (broken.value) throw new Error('ER_NO_SUCH_TABLE: two_factor_audit_events');
      audited.push(event);
    },
    onEvent: (event) => void notified.push(event),
    ...overrides,
  });
  return { ...fixture, audited, notified, broken };
}

describe('TwoFactorService', function () {
  describe('when an audit sink is configured', function () {
    it('S27: writes every event to it before the onEvent sinks', async function () {
      const order: string[] = [];
      const fixture = makeService({
        audit: (event) => void order.push(`audit:${event.type}`),
        onEvent: (event) => void order.push(`notify:${event.type}`),
      });
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'a@example.com' }));
      expect(order).to.deep.equal(['audit:enrollment.started', 'notify:enrollment.started']);
    });

    it('refuses an audit option that is not a function at setup', function () {
      expect(() => makeService({ audit: 'audit table' as never })).to.throw(ConfigurationError, /audit/);
    });
  });

  describe('when the audit row cannot be written', function () {
    it('S27: a wrong code is counted first, then the call rejects with 503 TWO_FACTOR_UNAVAILABLE', async function () {
      const fixture = auditedService();
      const user = await enroll(fixture, 'u1');
      fixture.broken.value = true;
      const error = await expect(
        fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }),
      ).to.be.rejectedWith(StoreUnavailableError);
      expect(error).to.include({ status: 503, code: 'TWO_FACTOR_UNAVAILABLE', expose: false });
      expect((error as Error).cause).to.be.an('error');
      expect((await fixture.store.findByUserId('u1'))?.failureCount, 'the guess stays counted').to.equal(1);
      expect(fixture.notified.at(-1)).to.include({ type: 'code.failed', failureCount: 1 });
    });

    it('S27, S29: a wrong password stays counted and the call rejects with 503', async function () {
      const fixture = auditedService();
      await enroll(fixture, 'u1');
      fixture.broken.value = true;
      await expect(fixture.service.disable({ userId: 'u1', password: 'guess' })).to.be.rejectedWith(
        StoreUnavailableError,
      );
      expect((await fixture.store.findByUserId('u1'))?.failureCount).to.equal(1);
    });

    it('S16, S27: the guess that locks still notifies the lock, and the call rejects with 503', async function () {
      const fixture = auditedService({ throttle: { freeAttempts: 0, maxFailures: 1 } });
      const user = await enroll(fixture, 'u1');
      fixture.broken.value = true;
      await expect(
        fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) }),
      ).to.be.rejectedWith(StoreUnavailableError);
      expect(fixture.notified.slice(-2).map((e) => e.type)).to.deep.equal(['code.failed', 'locked']);
      expect((await fixture.service.status('u1')).locked).to.equal(true);
    });

    it('S27: an attempt refused during backoff rejects with 503 instead of answering 429, uncounted', async function () {
      const fixture = auditedService({ throttle: { freeAttempts: 0, maxFailures: 2 } });
      const user = await enroll(fixture, 'u1');
      await fixture.service.verifyCode({ userId: 'u1', code: wrongCode(user.secret, fixture.clock) });
      fixture.broken.value = true;
      await expect(
        fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }),
      ).to.be.rejectedWith(StoreUnavailableError);
      expect(fixture.notified.at(-1)).to.include({ type: 'throttled' });
      expect((await fixture.store.findByUserId('u1'))?.failureCount, 'a throttled attempt is not counted').to.equal(1);
    });

    it('S27: a state change stands without its row: 2FA is off, the user is notified, and the call rejects with 503', async function () {
      const fixture = auditedService();
      await enroll(fixture, 'u1');
      fixture.broken.value = true;
      await expect(fixture.service.disable({ userId: 'u1', password: PASSWORD })).to.be.rejectedWith(
        StoreUnavailableError,
      );
      expect(await fixture.store.findByUserId('u1')).to.equal(null);
      expect(fixture.notified.at(-1)).to.include({ type: 'disabled', userId: 'u1' });
      expect(fixture.audited.map((e) => e.type)).to.not.include('disabled');
    });

    it('a throwing onEvent sink still does not fail the call', async function () {
      const reported: string[] = [];
      const fixture = makeService({
        audit: () => undefined,
        onEvent: () => {
          throw new Error('SMTP down');
        },
        onEventError: (_error, event) => void reported.push(event.type),
      });
      const user = await enroll(fixture, 'u1');
      success(await fixture.service.verifyCode({ userId: 'u1', code: codeAt(user.secret, fixture.clock) }));
      expect(reported).to.include('code.verified');
    });
  });
});
