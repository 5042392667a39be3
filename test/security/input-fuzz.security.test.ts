/**
 * Property-based fuzzing of every POST endpoint's body and content type (S13, S25), on SQLite and
 * on MariaDB. Whatever arrives: never a 5xx or a stack trace, never a signed-in session, and
 * never a state change in the database.
 */
import * as chai from 'chai';
import fc from 'fast-check';
import { encodeForm, hostileRequest, isWellFormedAttempt, type FuzzRequest } from '../support/fuzz-arbitraries';
import { SiteClient, type SiteResponse } from '../support/site-client';
import { BACKENDS, useSharedSite, type SiteHandle } from '../support/site-fixture';
import { beginEnrollment, enableTwoFactorUser, passwordStep, registerUser } from '../support/two-factor-flows';

const { expect } = chai;

/** Runs per endpoint: bounded so the suite stays well inside the CI budget. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 50);
/** Tables whose rows may change without a state change: sessions (every request) and the audit trail. */
const VOLATILE_TABLES = /^(sessions|two_factor_audit_events|migrations|typeorm_metadata)$/;

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
  if (request.encoding === 'json') {
    return browser.post(path, {
      raw: { contentType: 'application/json', payload: JSON.stringify(withToken(request.value)) ?? '' },
      headers,
      accept,
      csrf: false,
    });
  }
  if (request.encoding === 'form') {
    return browser.post(path, {
      raw: { contentType: 'application/x-www-form-urlencoded', payload: encodeForm(withToken(request.value)) },
      headers,
      accept,
      csrf: false,
    });
  }
  return browser.post(path, {
    raw: { contentType: request.contentType, payload: request.payload ?? '' },
    headers,
    accept,
    csrf: false,
  });
}

function expectCleanClientError(res: SiteResponse, what: string): void {
  expect(res.status, `${what}: ${res.status} ${res.text.slice(0, 300)}`).to.be.below(500);
  expect(res.text, `${what}: no stack trace`).not.to.match(/\n\s+at .+\(.+:\d+:\d+\)|at [A-Za-z.<>]+ \(node:/);
}

interface Endpoint {
  title: string;
  path: string;
  /** Builds the browser the fuzz runs in; called once. */
  setup(handle: SiteHandle): Promise<{ browser: SiteClient; authenticatedBefore: boolean }>;
  /** Skip requests that are genuine attempts (they may count a failure). */
  skipWellFormed: boolean;
  /** A 2xx is a legitimate outcome for some random bodies (e.g. logout); state must still not change. */
  allowSuccess?: boolean;
  /** The database may legitimately change (enroll restarts a pending enrollment). */
  allowStateChange?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  {
    title: 'POST /login (anonymous)',
    path: '/login',
    skipWellFormed: false,
    setup: async () => ({ browser: new SiteClient(''), authenticatedBefore: false }),
  },
  {
    title: 'POST /register (anonymous)',
    path: '/register',
    skipWellFormed: true,
    setup: async () => ({ browser: new SiteClient(''), authenticatedBefore: false }),
  },
  {
    title: 'POST /login/two-factor (pending second factor)',
    path: '/login/two-factor',
    skipWellFormed: true,
    setup: async (handle) => ({
      browser: await passwordStep(handle.url, await enableTwoFactorUser(handle.url, 'fuzz-challenge')),
      authenticatedBefore: false,
    }),
  },
  {
    title: 'POST /account/security/two-factor/confirm (pending enrollment)',
    path: '/account/security/two-factor/confirm',
    skipWellFormed: true,
    setup: async (handle) => {
      const user = await registerUser(handle.url, 'fuzz-confirm');
      await beginEnrollment(user.browser);
      return { browser: user.browser, authenticatedBefore: true };
    },
  },
  {
    title: 'POST /account/security/two-factor/disable (2FA on)',
    path: '/account/security/two-factor/disable',
    skipWellFormed: true,
    setup: async (handle) => ({
      browser: (await enableTwoFactorUser(handle.url, 'fuzz-disable')).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /account/security/two-factor/backup-codes (2FA on)',
    path: '/account/security/two-factor/backup-codes',
    skipWellFormed: true,
    setup: async (handle) => ({
      browser: (await enableTwoFactorUser(handle.url, 'fuzz-regenerate')).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /account/security/two-factor/enroll (signed in)',
    path: '/account/security/two-factor/enroll',
    skipWellFormed: false,
    allowSuccess: true,
    allowStateChange: true,
    setup: async (handle) => ({
      browser: (await registerUser(handle.url, 'fuzz-enroll')).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /account/users (owner)',
    path: '/account/users',
    skipWellFormed: true,
    setup: async (handle) => ({
      browser: (await registerUser(handle.url, 'fuzz-users')).browser,
      authenticatedBefore: true,
    }),
  },
  {
    title: 'POST /logout (anonymous)',
    path: '/logout',
    skipWellFormed: false,
    allowSuccess: true,
    setup: async () => ({ browser: new SiteClient(''), authenticatedBefore: false }),
  },
];

for (const backend of BACKENDS) {
  describe(`Input fuzzing over HTTP (${backend})`, function () {
    this.timeout(180_000);
    const handle = useSharedSite(backend);

    for (const endpoint of ENDPOINTS) {
      describe(`when ${endpoint.title} receives hostile bodies and content types`, () => {
        it(`S13, S25: never a 5xx, never a new signed-in session, never a state change (${NUM_RUNS} runs)`, async () => {
          const { browser: seed, authenticatedBefore } = await endpoint.setup(handle);
          const browser = seed.baseUrl ? seed : seed.clone(handle.url);
          const statusBefore = authenticatedBefore ? (await browser.twoFactorStatus()).body : null;
          let sent = 0;
          // Nothing may ever change, so every run compares with the state before the first one.
          const before = await handle.dump(VOLATILE_TABLES);
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
                expect(await handle.dump(VOLATILE_TABLES), 'the database is unchanged').to.deep.equal(before);
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
