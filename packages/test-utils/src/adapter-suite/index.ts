/**
 * The adapter suite: one set of HTTP tests that every adapter of @secondfactor/web (Koa, Express)
 * runs against its own test host, so the two answer the HTTP contract (docs/architecture.md#http-contract) alike.
 */
import { requestBodyTests } from './body.malformed.security';
import { addressLimitTests } from './limit-attempts-by-address.security';
import { challengeTests } from './challenge-router';
import { challengeSecurityTests } from './challenge-router.security';
import { faultTests } from './errors.faults';
import type { CreateHost } from './host';
import { managementHtmlTests } from './management-router.html';
import { managementJsonTests } from './management-router.json';
import { managementSecurityTests } from './management-router.security';
import { negotiationTests } from './negotiate.content-type';
import { passwordStepTests } from './password-step';
import { securitySectionTests } from './render-security-section';
import { stepUpGuardTests } from './require-recent-second-factor.guard';
import { guardTests } from './require-second-factor.guard';
import { viewOverrideTests } from './views.overrides';

/**
 * Registers the whole suite (mocha `describe`s) for one adapter.
 */
export function runAdapterSuite(adapter: { name: string; createHost: CreateHost }): void {
  describe(`adapter suite: ${adapter.name}`, () => {
    for (const tests of [
      managementJsonTests,
      managementHtmlTests,
      managementSecurityTests,
      challengeTests,
      challengeSecurityTests,
      guardTests,
      stepUpGuardTests,
      passwordStepTests,
      securitySectionTests,
      requestBodyTests,
      negotiationTests,
      viewOverrideTests,
      faultTests,
      addressLimitTests,
    ]) {
      tests(adapter.createHost);
    }
  });
}

export { BROWSER_ACCEPT, CHALLENGE, Client, MANAGEMENT } from './client';
export type { AdapterHost, AdapterHostOptions, CreateHost, SessionUser } from './host';
export { capture, formWithButton, forms, liveErrors } from './html';
export { ADA, BOB, createWorld, SUB, type HostUser, type World } from './world';
