/**
 * The challenge flows (docs/architecture.md#flows, #http-contract): the second login step through the strategy's typed
 * `verify`. The user comes only from the pending state (S21); on success the adapter's session
 * accessor signs the user in and regenerates the session (S23), and the pending state is gone.
 */
import { accessOf } from './access';
import { readField, type RequestBody } from './body';
import { deviceLabel } from './device-label';
import { toProblem } from './problem';
import { eventMeta } from './request-meta';
import { baseModel, messageFor, pageResponse, problemResponse, type Exchange } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { ROUTE_ERROR_STATUS, RouteErrorCode } from './route-error';
import { NO_PENDING_LOGIN } from './second-step';
import { markVerified } from './step-up-session';
import { setDeviceCookie } from './trusted-device-cookie';
import { recordSecurityStamp } from './security-stamp';

/**
 * No pending login: a signed-in user is done (409 `TWO_FACTOR_ALREADY_SIGNED_IN`), anyone else must
 * log in again (401 `TWO_FACTOR_NO_PENDING_LOGIN`, as the strategy answers it).
 */
async function noPendingLogin<N>(exchange: Exchange<N>): Promise<WebResponse> {
  const { resolved, request } = exchange;
  const signedIn = (await accessOf(exchange)).allowed;
  if (exchange.json) {
    const problem = signedIn
      ? {
          status: ROUTE_ERROR_STATUS[RouteErrorCode.AlreadySignedIn],
          code: RouteErrorCode.AlreadySignedIn,
          headers: {},
        }
      : { ...NO_PENDING_LOGIN, headers: {} };
    return problemResponse(exchange, problem, signedIn ? resolved.successRedirect : resolved.loginPath);
  }
  return redirectResponse(request.method, signedIn ? resolved.successRedirect : resolved.loginPath);
}

function isPending<N>(exchange: Exchange<N>): boolean {
  const { resolved, request } = exchange;
  return resolved.strategy.loginState(request.session.data, resolved.clock()) === 'pending';
}

/**
 * `GET /`: the challenge form, or `{ status: 'two-factor-required' }`.
 */
export async function showChallenge<N>(exchange: Exchange<N>): Promise<WebResponse> {
  const { resolved, request } = exchange;
  if (!isPending(exchange)) return noPendingLogin(exchange);
  if (exchange.json) return jsonResponse({ status: 'two-factor-required' });
  return pageResponse(
    exchange,
    resolved.texts.challengeTitle,
    resolved.views.challenge({ ...baseModel(exchange), rememberDeviceDays: rememberDays(exchange) }, request.native),
  );
}

/** Days "Remember this browser" offers (S34): 0 when trusted devices are off or cookies unavailable. */
function rememberDays<N>(exchange: Exchange<N>): number {
  return exchange.request.cookies ? exchange.resolved.trustedDeviceDays : 0;
}

const REMEMBER_VALUES = new Set<unknown>([true, 'true', '1', 'on']);

/**
 * After a successful second step with `rememberDevice` set (S34): a trusted device row and its
 * cookie, expiring together. The sign-in stands even if 2FA was turned off in between.
 */
async function rememberBrowser<N>(exchange: Exchange<N> & { body: RequestBody }, user: unknown): Promise<void> {
  const { resolved, request, body } = exchange;
  if (!REMEMBER_VALUES.has(readField(body, 'rememberDevice')) || rememberDays(exchange) === 0) return;
  const meta = eventMeta(request);
  const grant = await resolved.service.trustDevice({
    userId: resolved.getUserId(user),
    label: deviceLabel(meta.userAgent),
    meta,
  });
  if (grant.ok) setDeviceCookie(request, resolved.trustedDeviceCookie, grant.token, grant.expiresAt, resolved.clock());
}

/**
 * `POST /`: a code or a backup code. After a backup code the new codes are shown once (S19). With
 * `rememberDevice` (`true`, `"1"` or `"on"`) the browser is remembered (S34).
 */
export async function answerChallenge<N>(exchange: Exchange<N> & { body: RequestBody }): Promise<WebResponse> {
  const { resolved, request, body } = exchange;
  const { texts, views } = resolved;
  const meta = eventMeta(request);
  const result = await resolved.strategy.verify({
    body,
    session: request.session.data,
    ip: meta.ip,
    headers: { 'user-agent': meta.userAgent },
  });
  if (!result.ok) {
    if (result.error.status >= 500) throw result.error;
    const problem = toProblem(result.error);
    // 409: 2FA was turned off since the password step and the strategy dropped the login.
    if (problem.code === NO_PENDING_LOGIN.code || (!exchange.json && problem.status === 409))
      return noPendingLogin(exchange);
    if (exchange.json) return problemResponse(exchange, problem, resolved.challengePrefix);
    const failedField =
      readField(body, 'backupCode') !== undefined && readField(body, 'code') === undefined ? 'backupCode' : 'code';
    const model = {
      ...baseModel(exchange, messageFor(resolved, problem.code)),
      failedField,
      rememberDeviceDays: rememberDays(exchange),
    } as const;
    return pageResponse(
      exchange,
      texts.challengeTitle,
      views.challenge(model, request.native),
      problem.status,
      problem.headers,
    );
  }
  const signedIn = await request.session.logIn(result.user);
  await rememberBrowser(exchange, result.user);
  recordSecurityStamp(resolved, request, { user: result.user }, 'on');
  // A full sign-in is a verification: step-up is not asked again within its max age (S35).
  markVerified(signedIn ?? request.session.current?.() ?? request.session.data, resolved.clock());
  const backupCodes = result.backupCodes && result.backupCodes.length > 0 ? result.backupCodes : undefined;
  if (exchange.json)
    return jsonResponse(backupCodes ? { status: 'authenticated', backupCodes } : { status: 'authenticated' });
  if (!backupCodes) return redirectResponse(request.method, resolved.successRedirect);
  const model = { ...baseModel(exchange), backupCodes, continueUrl: resolved.successRedirect };
  return pageResponse(exchange, texts.backupCodeResetTitle, views.backupCodeReset(model, request.native));
}
