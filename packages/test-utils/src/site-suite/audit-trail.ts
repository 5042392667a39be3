/**
 * The audit trail (S26, S27): failures and state changes are in the table when the request
 * answers; a successful sign-in's `code.verified` row is batched off the request path
 * (`AUDIT_BATCH_MS`) and written at the latest when the site shuts down; `AUDIT_BATCH_MS=0` writes
 * it before the sign-in answers. A row that cannot be written fails the request with 503, after
 * the guess was counted.
 */
import * as chai from 'chai';
import { auditEventTypes, credentialOf } from './back-door';
import { codeForStep, enableTwoFactorUser, expectStatus, passwordStep, wrongCode } from './flows';
import { useSite, type Backend, type SiteTarget } from './site-under-test';

const { expect } = chai;

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

/** Registers the audit-trail tests on a site of their own (they restart it and break its audit table). */
export function auditTrailTests(target: SiteTarget, backend: Backend): void {
  describe('audit trail', () => {
    // A batch delay far longer than the test: a code.verified row can only come from the shutdown drain.
    const site = useSite(target, backend, 'audit-trail', { AUDIT_BATCH_MS: '60000' });

    describe('when a customer signs in with a wrong code, then the right one, and the site restarts', () => {
      it('S27: has the failure in the table before answering, and the sign-in once the site has shut down', async () => {
        const user = await enableTwoFactorUser(site.url, 'audit-batch', site.clock);
        const browser = await passwordStep(site.url, user);
        expectStatus(await browser.challenge({ code: wrongCode(user.secret, site.clock) }), 401, 'wrong code');
        expect(await auditEventTypes(site, user.email), 'written before the 401').to.include('code.failed');
        expectStatus(
          await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) }),
          200,
          'right code',
        );
        expect(await auditEventTypes(site, user.email), 'queued, not yet written').not.to.include('code.verified');

        await site.restart({ AUDIT_BATCH_MS: '0' });
        expect(
          count(await auditEventTypes(site, user.email), 'code.verified'),
          'written once by the shutdown',
        ).to.equal(1);
        expect(site.logLines.join('\n')).not.to.match(/audit event\(s\)/);
      });
    });

    describe('when AUDIT_BATCH_MS=0', () => {
      it('S27: writes the sign-in before it answers', async () => {
        const user = await enableTwoFactorUser(site.url, 'audit-sync', site.clock);
        const browser = await passwordStep(site.url, user);
        expectStatus(
          await browser.challenge({ code: codeForStep(user.secret, user.confirmedStep + 1) }),
          200,
          'right code',
        );
        expect(count(await auditEventTypes(site, user.email), 'code.verified')).to.equal(1);
      });
    });

    describe('when the audit table cannot be written', () => {
      it('S27: a wrong code is counted, then answered 503 TWO_FACTOR_UNAVAILABLE; the site recovers with the table', async () => {
        const user = await enableTwoFactorUser(site.url, 'audit-broken', site.clock);
        const browser = await passwordStep(site.url, user);
        await site.sql('ALTER TABLE two_factor_audit_events RENAME TO two_factor_audit_events_away');
        let broken;
        try {
          broken = await browser.challenge({ code: wrongCode(user.secret, site.clock) });
        } finally {
          await site.sql('ALTER TABLE two_factor_audit_events_away RENAME TO two_factor_audit_events');
        }
        expect(broken.status, broken.text).to.equal(503);
        expect(broken.body.error.code).to.equal('TWO_FACTOR_UNAVAILABLE');
        expect(broken.text).to.not.match(/two_factor_audit_events|no such table|doesn't exist/i);
        expect((await credentialOf(site, user.email))?.failure_count, 'the guess is counted').to.equal(1);

        expectStatus(await browser.challenge({ code: wrongCode(user.secret, site.clock) }), 401, 'with the table back');
        expect((await credentialOf(site, user.email))?.failure_count).to.equal(2);
        expect(count(await auditEventTypes(site, user.email), 'code.failed')).to.equal(1);
      });
    });
  });
}
