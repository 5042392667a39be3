/**
 * The management flows (docs/architecture.md#http-contract): status, enroll, confirm, disable and backup codes, in HTML
 * and JSON. The route runner lets only a fully signed-in user in and, on state changes, checks
 * CSRF first (S8, S25); the service does its own eligibility and password checks (S9).
 */
import { TwoFactorErrorCode, type TwoFactorFailure } from '@secondfactor/core';
import { readField, type RequestBody } from './body';
import { toProblem } from './problem';
import { recordSecurityStamp } from './security-stamp';
import { eventMeta } from './request-meta';
import { baseModel, messageFor, pageResponse, type Exchange } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { renderSection } from './security-section';

/**
 * A management request past the gate: the signed-in user, their id, and the body (empty on GET).
 */
export interface SignedInExchange<N = unknown> extends Exchange<N> {
  user: unknown;
  userId: string;
  body: RequestBody;
}

// Failures a user fixes by typing again stay on the Verification Step; the rest go back to the section.
const RETRY_ON_VERIFY = new Set<string>([
  TwoFactorErrorCode.InvalidInput,
  TwoFactorErrorCode.InvalidCode,
  TwoFactorErrorCode.Throttled,
]);

type Page = { title: string; body: string };

/**
 * S31: the change rotated the user's stamp; this session carries on with the new one, knowing
 * whether 2FA is now on ('off' also for a refused change, whose outcome does not say).
 */
function carryOn<N>(
  resolved: SignedInExchange<N>['resolved'],
  request: SignedInExchange<N>['request'],
  stamp: string | undefined,
  twoFactor: 'on' | 'off',
) {
  if (stamp !== undefined) recordSecurityStamp(resolved, request, { stamp }, twoFactor);
}

/** JSON callers get the typed error; browsers get `page` with the message in its live region. */
async function refuse<N>(
  exchange: SignedInExchange<N>,
  failure: TwoFactorFailure,
  page: (error: string) => Promise<Page>,
): Promise<WebResponse> {
  // A change that lost a race after rotating the stamp: this session keeps up with it (S31).
  carryOn(exchange.resolved, exchange.request, failure.securityStamp, 'off');
  if (exchange.json) throw failure.error;
  const problem = toProblem(failure.error);
  const { title, body } = await page(messageFor(exchange.resolved, problem.code));
  return pageResponse(exchange, title, body, problem.status, problem.headers);
}

function sectionPage<N>(
  exchange: SignedInExchange<N>,
  failedAction?: 'disable' | 'regenerate',
): (error: string) => Promise<Page> {
  return async (error) => ({
    title: exchange.resolved.texts.sectionTitle,
    body: await renderSection(exchange, exchange.userId, { error, headingLevel: 1, failedAction }),
  });
}

/**
 * A setup form sent again after 2FA was turned on (Back after enabling, another tab): nothing is
 * wrong, so browsers get the section with a neutral notice and a link to Security Settings.
 */
async function alreadyEnabledPage<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { texts } = exchange.resolved;
  const body = await renderSection(exchange, exchange.userId, { notice: texts.noticeAlreadyEnabled, headingLevel: 1 });
  return pageResponse(exchange, texts.sectionTitle, body);
}

/** The Verification Step once its setup expired: it says so, with one way to start again (S39). */
function expiredVerifyPage<N>(exchange: SignedInExchange<N>, status = 200): WebResponse {
  const { texts, views } = exchange.resolved;
  const model = { ...baseModel(exchange), expired: true };
  return pageResponse(exchange, texts.verifyTitle, views.verificationStep(model, exchange.request.native), status);
}

function queryString<N>(exchange: Exchange<N>, name: string): string {
  const value = exchange.request.query[name];
  return typeof value === 'string' ? value : '';
}

/**
 * `GET /`: the status as JSON; for browsers the section, or with `?step=intro` "Get Started" and
 * with `?step=verify` the Verification Step.
 */
export async function showStatus<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId } = exchange;
  const { service, texts, views, managementPrefix } = resolved;
  if (exchange.json) {
    const status = await service.status(userId);
    return jsonResponse({
      enabled: status.enabled,
      pending: status.pending,
      eligible: status.eligible,
      backupCodesRemaining: status.backupCodesRemaining,
      enabledAt: status.enabledAt ? status.enabledAt.toISOString() : null,
      required: status.required,
      requiredBy: status.requiredBy ? status.requiredBy.toISOString() : null,
    });
  }
  const step = queryString(exchange, 'step');
  if (step === 'intro' || step === 'verify') {
    const status = await service.status(userId);
    if (step === 'intro' && status.eligible && !status.enabled)
      return pageResponse(exchange, texts.introTitle, views.enrollmentIntro(baseModel(exchange), request.native));
    if (step === 'verify' && status.eligible && status.pending)
      return pageResponse(
        exchange,
        texts.verifyTitle,
        views.verificationStep({ ...baseModel(exchange), expired: false }, request.native),
      );
    if (step === 'verify' && status.eligible && status.pendingExpired) return expiredVerifyPage(exchange);
    return redirectResponse(request.method, managementPrefix);
  }
  const notice = queryString(exchange, 'notice') === 'disabled' ? texts.noticeDisabled : undefined;
  return pageResponse(exchange, texts.sectionTitle, await renderSection(exchange, userId, { notice, headingLevel: 1 }));
}

/**
 * `POST /enroll`: the barcode and secret key (S7, S28). While a setup is pending it is the same
 * secret (S39); a `startOver` field of `1` asks for a new one.
 */
export async function beginEnrollment<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, user, userId, body } = exchange;
  const outcome = await resolved.service.beginEnrollment({
    userId,
    accountName: resolved.getAccountName(user),
    startOver: readField(body, 'startOver') === '1',
    meta: eventMeta(request),
  });
  if (!outcome.ok) {
    if (!exchange.json && outcome.error.code === TwoFactorErrorCode.AlreadyEnabled) return alreadyEnabledPage(exchange);
    return refuse(exchange, outcome, sectionPage(exchange));
  }
  if (exchange.json)
    return jsonResponse({
      secret: outcome.secret,
      otpauthUrl: outcome.otpauthUrl,
      qrSvg: outcome.qrSvg,
      expiresAt: outcome.expiresAt.toISOString(),
      resumed: outcome.resumed,
    });
  const model = {
    ...baseModel(exchange),
    secret: outcome.secret,
    secretForDisplay: outcome.secretForDisplay,
    qrSvg: outcome.qrSvg,
    expiresAt: outcome.expiresAt,
    resumed: outcome.resumed,
  };
  return pageResponse(exchange, resolved.texts.setupTitle, resolved.views.enrollmentSetup(model, request.native));
}

/**
 * `POST /confirm`: the Verification Step; 2FA turns on and the backup codes are shown once.
 */
export async function confirmEnrollment<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId, body } = exchange;
  const { texts, views } = resolved;
  const outcome = await resolved.service.confirmEnrollment({
    userId,
    code: readField(body, 'code'),
    meta: eventMeta(request),
  });
  if (!outcome.ok) {
    const { code } = outcome.error;
    if (!exchange.json && code === TwoFactorErrorCode.AlreadyEnabled) return alreadyEnabledPage(exchange);
    if (!exchange.json && code === TwoFactorErrorCode.EnrollmentExpired)
      return expiredVerifyPage(exchange, toProblem(outcome.error).status);
    const retry = RETRY_ON_VERIFY.has(code);
    return refuse(exchange, outcome, async (error) =>
      retry
        ? {
            title: texts.verifyTitle,
            body: views.verificationStep({ ...baseModel(exchange, error), expired: false }, request.native),
          }
        : sectionPage(exchange)(error),
    );
  }
  carryOn(resolved, request, outcome.securityStamp, 'on');
  if (exchange.json) return jsonResponse({ enabled: true, backupCodes: outcome.backupCodes });
  const model = { ...baseModel(exchange), backupCodes: outcome.backupCodes, continueUrl: resolved.settingsPath };
  return pageResponse(exchange, texts.completeTitle, views.enrollmentComplete(model, request.native));
}

/**
 * `POST /disable`: turns 2FA off after the password (S8).
 */
export async function disableTwoFactor<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId, body } = exchange;
  const outcome = await resolved.service.disable({
    userId,
    password: readField(body, 'password'),
    meta: eventMeta(request),
  });
  if (!outcome.ok) return refuse(exchange, outcome, sectionPage(exchange, 'disable'));
  carryOn(resolved, request, outcome.securityStamp, 'off');
  if (exchange.json) return jsonResponse({ enabled: false });
  return redirectResponse(request.method, `${resolved.managementPrefix}?notice=disabled`);
}

/**
 * `POST /backup-codes`: a new set after the password (S8); the old codes die.
 */
export async function regenerateBackupCodes<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId, body } = exchange;
  const outcome = await resolved.service.regenerateBackupCodes({
    userId,
    password: readField(body, 'password'),
    meta: eventMeta(request),
  });
  if (!outcome.ok) return refuse(exchange, outcome, sectionPage(exchange, 'regenerate'));
  carryOn(resolved, request, outcome.securityStamp, 'on');
  if (exchange.json) return jsonResponse({ backupCodes: outcome.backupCodes });
  const model = { ...baseModel(exchange), backupCodes: outcome.backupCodes, continueUrl: resolved.settingsPath };
  return pageResponse(
    exchange,
    resolved.texts.regeneratedTitle,
    resolved.views.backupCodesRegenerated(model, request.native),
  );
}
