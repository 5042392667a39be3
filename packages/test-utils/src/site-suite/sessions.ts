/**
 * Server-side sessions from @secondfactor/sessions: in the site's database by default, in Redis
 * with REDIS_URL. They are indexed by user, survive a restart, and are shared by a second instance
 * on the same store; the sites' own old `sessions` table is gone.
 */
import * as chai from 'chai';
import { userIdByEmail } from './back-door';
import { SESSION_COOKIE } from './contract';
import { enableTwoFactorUser, passwordStep, registerUser } from './flows';
import { dumpText } from './secrets.security';
import { useSite, type Backend, type SiteTarget } from './site-under-test';

const { expect } = chai;

/** Options of {@link sessionTests}. */
export interface SessionTestOptions {
  /** `REDIS_URL` of a test Redis, or undefined to run the database variant only. */
  redisUrl?: string;
}

/** Registers the session tests on sites of their own (they restart them). */
export function sessionTests(target: SiteTarget, backend: Backend, options: SessionTestOptions = {}): void {
  const variants: Array<{ where: string; env?: Record<string, string> }> = [{ where: 'the database' }];
  if (options.redisUrl) variants.push({ where: 'Redis', env: { REDIS_URL: options.redisUrl } });
  for (const variant of variants) {
    describe(`sessions in ${variant.where}`, () => {
      const site = useSite(target, backend, 'sessions', variant.env);

      describe('when the site restarts', () => {
        it('keeps a signed-in session, and keeps a pending second factor pending (never signed in)', async () => {
          const user = await registerUser(site.url, 'restart');
          const twoFactorUser = await enableTwoFactorUser(site.url, 'restart-2fa', site.clock);
          const pending = await passwordStep(site.url, twoFactorUser);
          await site.restart();
          expect((await user.browser.session()).authenticated).to.equal(true);
          expect((await user.browser.get('/clientarea')).status).to.equal(200);
          expect(await pending.session()).to.include({ authenticated: false, twoFactorPending: true });
        });
      });

      describe('when a second instance serves the same cookie', () => {
        it('sees the same sign-in, and a logout on one instance signs out on the other', async () => {
          const second = await site.twin();
          const user = await registerUser(site.url, 'shared');
          const onSecond = user.browser.clone(second.url);
          const session = await onSecond.session();
          expect(session.authenticated).to.equal(true);
          expect((session.user as { email: string }).email).to.equal(user.email);
          expect((await onSecond.logout()).status).to.equal(200);
          expect((await user.browser.get('/clientarea')).status).to.equal(401);
        });
      });

      if (!variant.env) {
        describe('when sessions are stored', () => {
          it("S33: each row is indexed by its user and keyed by a hash, never the cookie's id; the old table is gone", async () => {
            const user = await registerUser(site.url, 'session-rows');
            const userId = await userIdByEmail(site, user.email);
            const rows = await site.sql<{ id: string; user_id: string | null }>(
              'SELECT id, user_id FROM secondfactor_sessions WHERE user_id = ?',
              [userId],
            );
            expect(rows).to.have.length(1);
            // koa-session's cookie is the id; express-session's is `s:<id>.<signature>`.
            const cookie = decodeURIComponent(user.browser.cookies.get(SESSION_COOKIE) ?? '');
            const sessionId = cookie.startsWith('s:') ? cookie.slice(2, cookie.lastIndexOf('.')) : cookie;
            expect(sessionId).to.have.length.greaterThan(16);
            const dump = await site.dump();
            expect(dumpText(dump), 'no session id at rest').not.to.contain(sessionId);
            expect(Object.keys(dump)).to.include('secondfactor_sessions').and.not.include('sessions');
          });
        });
      }
    });
  }
}
