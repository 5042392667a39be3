/**
 * The per-address limit of the password throttle (S32) as a guard for a host route such as
 * `POST /register`: one attempt counted per request, 429 `TOO_MANY_ATTEMPTS` with `Retry-After`
 * past the limit, in JSON or as the error page like every other refusal of the routes.
 */
import type { PasswordThrottle } from '@secondfactor/core';
import { tooManyAttempts } from './password-throttle-check';
import { isFault, toProblem, type Problem } from './problem';
import { eventMeta } from './request-meta';
import { problemResponse, type Exchange } from './respond';
import type { WebResponse } from './response';

/** The part of core's `PasswordThrottle` the guard calls. */
export type AddressThrottle = Pick<PasswordThrottle, 'claimAddress'>;

/**
 * Counts one attempt of the request's client address (checked with `net.isIP`; requests without a
 * valid one share a bucket): null lets the request through, otherwise the 429 answer. A store
 * fault is 503 `TWO_FACTOR_UNAVAILABLE` (fail closed), anything else a bare 500 with its `fault`.
 */
export async function limitByAddress<N>(
  exchange: Exchange<N>,
  throttle: AddressThrottle,
  continueUrl: string,
): Promise<WebResponse | null> {
  try {
    const decision = await throttle.claimAddress(eventMeta(exchange.request).ip);
    if (decision.ok) return null;
    const refusal = tooManyAttempts(decision.retryAfterSeconds, 'address');
    const problem: Problem = { status: refusal.status, code: refusal.code, headers: refusal.headers };
    return problemResponse(exchange, problem, continueUrl);
  } catch (error) {
    const problem = toProblem(error);
    return problemResponse(exchange, problem, continueUrl, isFault(problem) ? error : undefined);
  }
}
