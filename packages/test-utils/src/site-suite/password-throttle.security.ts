/**
 * The password step's throttle (S32, docs/security.md#s32): a per-account backoff that never
 * becomes a lock, the same answers for known and unknown emails, a per-address limit on login and
 * registration, and a mail to the owner of an address someone tried to register again.
 */
import * as chai from 'chai';
import { expectStatus, registerUser, uniqueEmail } from './flows';
import { mailsTo } from './outbox';
import { SiteClient } from './site-client';
import { useSite, type Backend, type SiteTarget, type SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Status, Retry-After and body of one answer, for comparing two answers whole. */
async function answerOf(browser: SiteClient, email: string, password: string) {
  const res = await browser.login(email, password);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body };
}

/** Registers the per-account tests against the shared site (no address limit there). */
export function passwordThrottleTests(site: SiteUnderTest): void {
  describe('password-step throttling', () => {
    describe('when one account gets wrong passwords in a row', () => {
      it('S32: five are free, then 429 with Retry-After refuses even the right password, and the wait passes', async () => {
        const user = await registerUser(site.url, 's32-backoff');
        const browser = new SiteClient(site.url);
        for (let attempt = 1; attempt <= 5; attempt++)
          expect((await browser.login(user.email, `wrong ${attempt}`)).status, `attempt ${attempt}`).to.equal(401);
        const refused = await browser.login(user.email, user.password);
        expect(refused.status).to.equal(429);
        expect(refused.headers.get('retry-after')).to.equal('60');
        expect(refused.body.error.code).to.equal('TOO_MANY_ATTEMPTS');
        site.clock.advance({ seconds: 61 });
        expect((await browser.login(user.email, user.password)).body.status).to.equal('authenticated');
        // Success starts the count again: five free attempts once more.
        for (let attempt = 1; attempt <= 5; attempt++)
          expect((await browser.login(user.email, `again ${attempt}`)).status).to.equal(401);
      });

      it('S32: the wait doubles with each further failure and stops at one hour: no lock', async () => {
        const user = await registerUser(site.url, 's32-doubling');
        const browser = new SiteClient(site.url);
        const waits: string[] = [];
        for (let attempt = 1; attempt <= 12; attempt++) {
          const res = await browser.login(user.email, `wrong ${attempt}`);
          if (res.status === 429) {
            waits.push(String(res.headers.get('retry-after')));
            site.clock.advance({ seconds: Number(res.headers.get('retry-after')) });
            attempt--;
            continue;
          }
          expect(res.status).to.equal(401);
        }
        expect(waits).to.deep.equal(['60', '120', '240', '480', '960', '1920', '3600']);
        site.clock.advance({ hours: 1 });
        expect((await browser.login(user.email, user.password)).body.status).to.equal('authenticated');
      });
    });

    describe('when an unknown email is tried like a known one', () => {
      it('S32: every answer has the same status, Retry-After and body', async () => {
        const user = await registerUser(site.url, 's32-same');
        const unknown = uniqueEmail('s32-nobody');
        const browser = new SiteClient(site.url);
        for (let attempt = 1; attempt <= 7; attempt++) {
          const known = await answerOf(browser, user.email, `wrong ${attempt}`);
          const nobody = await answerOf(browser, unknown, `wrong ${attempt}`);
          expect(nobody, `attempt ${attempt}`).to.deep.equal(known);
        }
      });
    });

    describe('when an address is taken at registration', () => {
      it('S32: 409 EMAIL_TAKEN, and the owner is mailed at most once an hour', async () => {
        const owner = await registerUser(site.url, 's32-taken');
        const again = () =>
          new SiteClient(site.url).register({ name: 'Someone', email: owner.email, password: 'another password' });
        for (let attempt = 0; attempt < 3; attempt++) {
          const res = await again();
          expect(res.status).to.equal(409);
          expect(res.body.error.code).to.equal('EMAIL_TAKEN');
        }
        const warned = () =>
          mailsTo(site.dataDir, owner.email).filter((mail) => /tried to register/.test(mail.subject));
        expect(warned()).to.have.length(1);
        site.clock.advance({ minutes: 61 });
        await again();
        expect(warned()).to.have.length(2);
      });
    });
  });
}

/** Registers the per-address tests on a site of their own (`LOGIN_IP_LIMIT=4`). */
export function addressLimitTests(target: SiteTarget, backend: Backend): void {
  describe('password-step address limit', () => {
    const site = useSite(target, backend, 's32-address', { LOGIN_IP_LIMIT: '4' });

    describe('when one address passes LOGIN_IP_LIMIT attempts in 10 minutes', () => {
      it('S32: login and registration answer 429 with Retry-After until the window ends', async () => {
        const browser = new SiteClient(site.url);
        const user = { name: 'Limit', email: uniqueEmail('s32-ip'), password: 'a fine password' };
        expectStatus(await browser.register(user), 201, 'register');
        for (let attempt = 1; attempt <= 3; attempt++)
          expect((await new SiteClient(site.url).login(user.email, `wrong ${attempt}`)).status).to.equal(401);
        const login = await new SiteClient(site.url).login(uniqueEmail('s32-other'), 'whatever password');
        expect(login.status).to.equal(429);
        expect(Number(login.headers.get('retry-after'))).to.be.within(1, 600);
        const register = await new SiteClient(site.url).register({ ...user, email: uniqueEmail('s32-new') });
        expect(register.status).to.equal(429);
        site.clock.advance({ minutes: 10, seconds: 1 });
        expect((await new SiteClient(site.url).login(user.email, user.password)).body.status).to.equal('authenticated');
      });
    });
  });
}
