/**
 * Turns anything thrown or refused into the answer a client may see: a status, a stable code and
 * headers. A 5xx never carries its own message (house style); 503 keeps its stable code.
 */
import { isTwoFactorError, TwoFactorErrorCode } from '@secondfactor/core';
import { RouteError, RouteErrorCode } from './route-error';
import type { ClientErrorCode } from './texts';

/**
 * What the client is told.
 *
 * @example
 * ```ts
 * const problem: Problem = { status: 403, code: 'TWO_FACTOR_CSRF', headers: {} };
 * ```
 */
export interface Problem {
  status: number;
  code: ClientErrorCode;
  headers: Record<string, string>;
}

const INTERNAL: Problem = { status: 500, code: RouteErrorCode.Internal, headers: {} };

/**
 * Maps an error to a {@link Problem}: typed 4xx errors keep their code and headers (e.g.
 * `Retry-After`), other client errors (body parsing) become 400, and every fault becomes a bare
 * 500 or 503.
 *
 * @example
 * ```ts
 * toProblem(new ThrottledError(30)); // { status: 429, code: 'TWO_FACTOR_THROTTLED', headers: { 'Retry-After': '30' } }
 * ```
 */
export function toProblem(error: unknown): Problem {
  if (isTwoFactorError(error) || error instanceof RouteError) {
    if (error.status === 503) return { status: 503, code: TwoFactorErrorCode.StoreUnavailable, headers: {} };
    if (error.status >= 500 || error.status < 400) return INTERNAL;
    return { status: error.status, code: error.code as ClientErrorCode, headers: { ...error.headers } };
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return { status: 400, code: TwoFactorErrorCode.InvalidInput, headers: {} };
  return INTERNAL;
}

/**
 * True when the problem is a fault the host should hear about (its logger, through the adapter).
 *
 * @example
 * ```ts
 * if (isFault(problem)) reportToHost(err);
 * ```
 */
export function isFault(problem: Problem): boolean {
  return problem.status >= 500;
}
