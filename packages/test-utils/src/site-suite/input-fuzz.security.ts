/**
 * Property-based fuzzing of every POST endpoint's body and content type (S13, S25). Whatever
 * arrives: never a 5xx or a stack trace, never a signed-in session, and never a state change in
 * the database.
 */
import * as chai from 'chai';
import fc from 'fast-check';
import { beginEnrollment, enableTwoFactorUser, passwordStep, registerUser } from './flows';
import { encodeForm, hostileRequest, isWellFormedAttempt, type FuzzRequest } from './fuzz-arbitraries';
import { SiteClient, type SiteResponse } from './site-client';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Runs per endpoint: bounded so the suite stays well inside the CI budget. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 50);
/** Tables whose rows may change without a state change: sessions (every request) and the audit trail. */
/**
 * Tables a refused request may still write: sessions, the audit trail, and the password step's
 * throttle, which counts every login attempt it sees by design (S32), hostile or not.
 */
const VOLATILE_TABLES =
  /^(secondfactor_sessions|two_factor_audit_events|two_factor_password_throttles|migrations|typeorm_metadata)$/;

async function send(browser: SiteClient, path: string, request: FuzzRequest): Promise<SiteResponse> {
  const token = await browser.csrfToken();
  const headers: Record<string, string> = {};
  const accept = request.accept ?? 'application/json';
  if (request.contentEncoding) headers['content-encoding'] = request.contentEncoding;
  if (!request.csrfInBody) headers['x-csrf-token'] = token;
  const withToken = (value: unknown): unknown =>
    request.csrfInBody && value && typeof value === 'object' && !Array.isArray(value)
      ? { ...(value as object), _csrf: token }
      : value;
  const raw =
    request.encoding === 'json'
      ? { contentType: 'application/json', payload: JSON.stringify(withToken(request.value)) ?? '' }
      : request.encoding === 'form'
        ? { contentType: 'application/x-www-form-urlencoded', payload: encodeForm(withToken(request.value)) }
        : { contentType: request.contentType, payload: request.payload ?? '' };
  return browser.post(path, { raw, headers, accept, csrf: false });
}

function expectCleanClientError(res: SiteResponse, what: string): void {
  expect(res.status, `${what}: ${res.status} ${res.text.slice(0, 300)}`).to.be.below(500);
  expect(res.text, `${what}: no stack trace`).not.to.match(/\n\s+at .+\(.+:\d+:\d+\)|at [A-Za-z.<>]+ \(node:/);
}

interface Endpoint {
  title: string;
  path: string;
  /** Builds the browser the fuzz runs in; called once. */
  setup(site: SiteUnderTest): Promise<{ browser: SiteClient; authenticatedBefore: boolean }>;
  /** Skip requests that are genuine attempts (they may count a failure). */
  skipWellFormed: boolean;
  /** A 2xx is a legitimate outcome for some random bodies (e.g. logout); state must still not change. */
  allowSuccess?: boolean;
  /** The database may legitimately change (enroll restarts a pending enrollment). */
  allowStateChange?: boolean;
}

const anonymous = async (site: SiteUnderTest) => ({ browser: new SiteClient(site.url), authenticatedBefore: false });

const ENDPOINTS: Endpoint[] = [
  { title: 'POST /login (anonymous)', path: '/login', skipWellFormed: false, setup: anonymous },
  { title: 'POST /register (anonymous)', path: '/register', skipWellFormed: true, setup: anonymous },
  {
    title: 'POST /login/two-factor (pending second factor)',
    path: '/login/two-factor',
    skipWellFormed: true,
    setup: async (site) => ({
      browser: await passwordStep(site.url, await enableTwoFactorUser(site.url, 'fuzz-challenge', site.clock)),
      authenticatedBefore: false,
    }),
  },
  {
    title: 'POST /account/security/two-factor/confirm (pending enrollment)',
    path: '/account/security/two-factor/confirm',
    skipWellFormed: true,
    setup: async (site) => {
      const user = await registerUser(site.url, 'fuzz-confirm');
      await beginEnrollment(user.browser);
      return { browser: user.browser, authenticatedBefore: true };
    },
  },
  {
    title: 'POST /account/security/two-factor/disable (2FA on)',
    path: '/account/security/two-factor/disable',
    skipWellFormed: true,
    setup: async (site) => ({
      browser: (await enableTwoFactorUser(site.url, 'fuzz-disable', site.clock)).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /account/security/two-factor/backup-codes (2FA on)',
    path: '/account/security/two-factor/backup-codes',
    skipWellFormed: true,
    setup: async (site) => ({
      browser: (await enableTwoFactorUser(site.url, 'fuzz-regenerate', site.clock)).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /account/security/two-factor/enroll (signed in)',
    path: '/account/security/two-factor/enroll',
    skipWellFormed: false,
    allowSuccess: true,
    allowStateChange: true,
    setup: async (site) => ({
      browser: (await registerUser(site.url, 'fuzz-enroll')).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /account/users (owner)',
    path: '/account/users',
    skipWellFormed: true,
    setup: async (site) => ({
      browser: (await registerUser(site.url, 'fuzz-users')).browser,
      authenticatedBefore: true,
    }),
  },
  { title: 'POST /logout (anonymous)', path: '/logout', skipWellFormed: false, allowSuccess: true, setup: anonymous },
];

/** Registers the fuzzing tests against a started site. */
export function inputFuzzTests(site: SiteUnderTest): void {
  describe('input fuzzing over HTTP', () => {
    for (const endpoint of ENDPOINTS) {
      describe(`when ${endpoint.title} receives hostile bodies and content types`, () => {
        it(`S13, S25: never a 5xx, never a new signed-in session, never a state change (${NUM_RUNS} runs)`, async () => {
          const { browser, authenticatedBefore } = await endpoint.setup(site);
          const statusBefore = authenticatedBefore ? (await browser.twoFactorStatus()).body : null;
          let sent = 0;
          // Nothing may ever change, so every run compares with the state before the first one.
          const before = await site.dump(VOLATILE_TABLES);
          await fc.assert(
            fc.asyncProperty(hostileRequest, async (request) => {
              if (endpoint.skipWellFormed && isWellFormedAttempt(request)) return;
              const res = await send(browser, endpoint.path, request);
              sent += 1;
              expectCleanClientError(res, endpoint.title);
              // Browsers may be redirected (to the login page, say); what matters is that nothing succeeded.
              if (!endpoint.allowSuccess)
                expect(res.status, `${endpoint.title}: ${res.text.slice(0, 200)}`).not.to.be.within(200, 299);
              const session = await browser.session();
              expect(session.authenticated, 'the fuzzing session never signs in').to.equal(authenticatedBefore);
              if (!endpoint.allowStateChange)
                expect(await site.dump(VOLATILE_TABLES), 'the database is unchanged').to.deep.equal(before);
              else expect((await browser.twoFactorStatus()).body.enabled, '2FA never turns on').to.equal(false);
            }),
            { numRuns: NUM_RUNS, endOnFailure: true },
          );
          expect(sent, 'most generated requests reach the site').to.be.greaterThan(NUM_RUNS / 2);
          if (statusBefore && !endpoint.allowStateChange)
            expect((await browser.twoFactorStatus()).body).to.deep.equal(statusBefore);
        });
      });
    }
  });
}
