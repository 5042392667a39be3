/**
 * The site suite: one set of HTTP tests (the sites' contract, the 2FA routes' contract and the
 * security requirements they prove) that both example sites run, each on SQLite, MariaDB and PostgreSQL, the way an
 * integration test suite is shipped once and run by every integration. A site supplies a
 * {@link SiteTarget} that builds it in-process with a fake clock.
 */
import { auditTrailTests } from './audit-trail';
import { headerTests, httpsTests } from './headers.security';
import { addressLimitTests, passwordThrottleTests } from './password-throttle.security';
import { sessionBindingTests } from './session-binding.security';
import { sessionLifetimeTests } from './session-lifetimes.security';
import { bruteForceTests } from './brute-force.security';
import { contractTests } from './contract';
import { enrollmentPolicyTests } from './enrollment-policy.security';
import { flowIntegrityTests } from './flow-integrity.security';
import { inputFuzzTests } from './input-fuzz.security';
import { loginFlowTests } from './login-flow';
import { managementTests } from './management.security';
import { enrollmentRestartTests } from './enrollment-restart.security';
import { pageAnnouncementTests } from './page-announcements';
import { notificationTests } from './notifications';
import { reauthenticationTests } from './reauthentication.security';
import { replayTests } from './replay.security';
import { requestBodyTests } from './request-body.security';
import { secretsAtRestTests } from './secrets-at-rest';
import { secretsTests } from './secrets.security';
import { sessionTests } from './sessions';
import { stepUpTests } from './step-up.security';
import { subAccountTests } from './sub-accounts';
import { trustedDevicesOffTests, trustedDeviceTests } from './trusted-devices.security';
import { BACKEND_LABELS, BACKENDS, useSite, type Backend, type SiteTarget } from './site-under-test';

/** Options of {@link runSiteSuite}. */
export interface SiteSuiteOptions {
  /** The databases to run on. Default all three; a server that is not configured skips with a reason. */
  backends?: readonly Backend[];
  /** A test Redis (`redis://…`) for the Redis session variant, or undefined to leave it out (with a reason). */
  redisUrl?: string;
}

/**
 * Registers the whole suite (mocha `describe`s) for one site. Per database, one site serves every
 * test that registers its own users; the audit-trail and session tests, which restart their site,
 * get sites of their own.
 */
export function runSiteSuite(target: SiteTarget, options: SiteSuiteOptions = {}): void {
  for (const backend of options.backends ?? BACKENDS) {
    describe(`site suite: ${target.name} on ${BACKEND_LABELS[backend]}`, function () {
      this.timeout(120_000);
      describe('one shared site', () => {
        // Every test here signs in from 127.0.0.1: the per-address limit (S32) has a site of its own.
        const site = useSite(target, backend, 'suite', { LOGIN_IP_LIMIT: '0' });
        for (const tests of [
          contractTests,
          loginFlowTests,
          subAccountTests,
          managementTests,
          enrollmentRestartTests,
          pageAnnouncementTests,
          flowIntegrityTests,
          replayTests,
          bruteForceTests,
          reauthenticationTests,
          stepUpTests,
          notificationTests,
          requestBodyTests,
          secretsTests,
          inputFuzzTests,
          trustedDeviceTests,
          sessionBindingTests,
          headerTests,
          // Last: they move the shared clock by hours.
          passwordThrottleTests,
        ]) {
          tests(site);
        }
        if (backend === 'sqlite') secretsAtRestTests(site);
      });
      auditTrailTests(target, backend);
      enrollmentPolicyTests(target, backend);
      if (backend === 'sqlite') trustedDevicesOffTests(target, backend);
      addressLimitTests(target, backend);
      sessionLifetimeTests(target, backend);
      httpsTests(target, backend);
      sessionTests(target, backend, { redisUrl: backend === 'sqlite' ? options.redisUrl : undefined });
    });
  }
}

export {
  auditEventTypes,
  backupCodeRows,
  changePassword,
  credentialOf,
  skipBackoff,
  userIdByEmail,
  waitOutBackoff,
  type CredentialRow,
  type Sql,
} from './back-door';
export { SESSION_COOKIE } from './contract';
export {
  awayFromStepBoundary,
  beginEnrollment,
  codeForStep,
  currentStep,
  enableTwoFactorUser,
  expectStatus,
  passwordStep,
  REAL_CLOCK,
  registerUser,
  sleep,
  STEP_MS,
  submitOneCodeInParallel,
  uniqueEmail,
  wrongCode,
  type RegisteredUser,
  type StepClock,
  type TwoFactorUser,
} from './flows';
export { mailsTo, readOutbox, type OutboxMail } from './outbox';
export { findSecrets, rawSecretSpellings, type KnownSecret, type SecretLeak } from './secret-scan';
export { dumpText } from './secrets.security';
export { SiteClient, type SiteRequestOptions, type SiteResponse } from './site-client';
export {
  BACKEND_LABELS,
  BACKENDS,
  type AdminOutcome,
  type Backend,
  type DatabaseDump,
  type SiteTarget,
  type SiteUnderTest,
  type StartSiteOptions,
} from './site-under-test';
