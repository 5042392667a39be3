/**
 * The step-up guard (S35): a signed-in request reaches a sensitive route only when the session's
 * last verification is within the max age. Otherwise JSON clients get 401
 * `TWO_FACTOR_STEP_UP_REQUIRED` with `stepUpUrl`, and browsers go to "Confirm it's you" and then
 * back to the page they were on. A POST is not replayed: its page is where the user lands.
 */
import { checkStepUpMaxAge, ConfigurationError, stepUpWindow } from '@secondfactor/core';
import { accessOf, guardRedirect, refusalResponse } from './access';
import { enrollmentRefusal } from './enrollment-gate';
import { NO_STORE_HEADERS } from './no-store';
import type { ResolvedOptions } from './options';
import type { WebRequest } from './request';
import { messageFor, type Exchange } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { ROUTE_ERROR_STATUS, RouteErrorCode } from './route-error';
import { safeReturnTo, verifiedAtOf } from './step-up-session';

/**
 * Options of `requireRecentSecondFactor()`.
 *
 * @example
 * ```ts
 * router.post('/account/users', twoFactor.requireRecentSecondFactor({ maxAgeSeconds: 900 }), addUser);
 * ```
 */
export interface RequireRecentSecondFactorOptions {
  /** How old the last verification may be, in seconds. Default: the `stepUpMaxAgeSeconds` option (900). */
  maxAgeSeconds?: number;
  /** Where a browser without any login goes. Default: the `loginPath` option. */
  redirectTo?: string;
}

/** The page to come back to: the path, with the query of a GET; never anything but a local path. */
function returnPathOf<N>(exchange: Exchange<N>): string {
  const { request, resolved } = exchange;
  let path = request.path;
  if (request.method === 'GET' || request.method === 'HEAD') {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query)) if (typeof value === 'string') query.append(name, value);
    const search = query.toString();
    if (search) path += `?${search}`;
  }
  return safeReturnTo(path) ?? resolved.successRedirect;
}

/**
 * The URL of the step-up page that returns to `returnTo`.
 *
 * @example
 * ```ts
 * stepUpUrl('/account/security/two-factor', '/account/users'); // '/account/security/two-factor/step-up?returnTo=%2Faccount%2Fusers'
 * ```
 */
export function stepUpUrl(managementPrefix: string, returnTo: string): string {
  return `${managementPrefix}/step-up?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * Builds the guard: bad options throw a `ConfigurationError` here, at setup. The guard answers
 * null to let the request through.
 *
 * @example
 * ```ts
 * const guard = createStepUpGuard(resolved, exchangeOf, { maxAgeSeconds: 300 });
 * const refusal = await guard(request);
 * ```
 */
export function createStepUpGuard<N>(
  resolved: ResolvedOptions<N>,
  exchangeOf: (request: WebRequest<N>) => Exchange<N>,
  options: RequireRecentSecondFactorOptions | undefined,
): (request: WebRequest<N>) => Promise<WebResponse | null> {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw new ConfigurationError('requireRecentSecondFactor: options must be an object.');
  let maxAgeSeconds = resolved.stepUpMaxAgeSeconds;
  if (options?.maxAgeSeconds !== undefined) {
    try {
      maxAgeSeconds = checkStepUpMaxAge(options.maxAgeSeconds);
    } catch (error) {
      throw new ConfigurationError(`requireRecentSecondFactor: ${(error as Error).message}`);
    }
  }
  const redirectTo = guardRedirect({ redirectTo: options?.redirectTo }, resolved.loginPath);
  return (request) => answer(exchangeOf(request), { maxAgeSeconds, redirectTo });
}

async function answer<N>(
  exchange: Exchange<N>,
  settings: { maxAgeSeconds: number; redirectTo: string },
): Promise<WebResponse | null> {
  const decision = await accessOf(exchange);
  if (!decision.allowed) return refusalResponse(exchange, decision, settings.redirectTo);
  // S36 first: a user who must enroll reaches only enrollment, with or without a recent step-up.
  const enrollment = await enrollmentRefusal(exchange, exchange.resolved.getUserId(decision.user));
  if (enrollment) return enrollment;
  return staleStepUp(exchange, settings.maxAgeSeconds, returnPathOf(exchange));
}

/**
 * For a signed-in request: null when the session's last verification is within `maxAgeSeconds`,
 * else the step-up answer (JSON 401 with `stepUpUrl`, or a redirect to "Confirm it's you" that comes
 * back to `returnTo`).
 *
 * @example
 * ```ts
 * const refusal = staleStepUp(exchange, resolved.stepUpMaxAgeSeconds, resolved.managementPrefix);
 * if (refusal) return refusal;
 * ```
 */
export function staleStepUp<N>(exchange: Exchange<N>, maxAgeSeconds: number, returnTo: string): WebResponse | null {
  const { request, resolved } = exchange;
  const window = stepUpWindow({
    verifiedAtMs: verifiedAtOf(request.session.data),
    now: resolved.clock(),
    maxAgeSeconds,
  });
  if (window.fresh) return null;
  const url = stepUpUrl(resolved.managementPrefix, returnTo);
  const code = RouteErrorCode.StepUpRequired;
  if (exchange.json)
    return jsonResponse(
      { error: { code, message: messageFor(resolved, code), stepUpUrl: url } },
      ROUTE_ERROR_STATUS[code],
      NO_STORE_HEADERS,
    );
  const redirect = redirectResponse(request.method, url);
  return { ...redirect, headers: { ...NO_STORE_HEADERS } };
}
