/**
 * The step-up routes (S35, docs/architecture.md#http-contract `POST /step-up`): the "Confirm it's you" page and its
 * answer. With 2FA on, a code or a backup code under the login's rules (S12, S16, S19); without it,
 * the password, which the host throttles like its login (S29). A success records the time in the
 * session and sends a browser back to its same-origin `returnTo`; a POSTed form is never replayed.
 */
import {
  InvalidInputError,
  InvalidPasswordError,
  stepUpWindow,
  ThrottledError,
  TwoFactorErrorCode,
  TwoFactorStateError,
  type TwoFactorError,
} from '@secondfactor/core';
import { readField } from './body';
import type { SignedInExchange } from './management-flow';
import { toProblem } from './problem';
import { eventMeta } from './request-meta';
import { baseModel, messageFor, pageResponse } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { markVerified, safeReturnTo, verifiedAtOf } from './step-up-session';
import type { StepUpViewModel } from './views';

const MAX_PASSWORD_LENGTH = 1024;

function returnToOf<N>(exchange: SignedInExchange<N>, value: unknown): string {
  return safeReturnTo(value) ?? exchange.resolved.successRedirect;
}

function stepUpPage<N>(
  exchange: SignedInExchange<N>,
  model: Omit<StepUpViewModel, keyof ReturnType<typeof baseModel>>,
  error?: { problem: ReturnType<typeof toProblem> },
): WebResponse {
  const { resolved, request } = exchange;
  const message = error ? messageFor(resolved, error.problem.code) : undefined;
  return pageResponse(
    exchange,
    resolved.texts.stepUpTitle,
    resolved.views.stepUp({ ...baseModel(exchange, message), ...model }, request.native),
    error?.problem.status,
    error?.problem.headers,
  );
}

/**
 * `GET /step-up`: the "Confirm it's you" page; JSON clients get the session's window and the
 * factor to send (`code` or `password`).
 *
 * @example
 * ```ts
 * const answer = await showStepUp(exchange);
 * ```
 */
export async function showStepUp<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId } = exchange;
  const twoFactorEnabled = await resolved.service.isEnabled(userId);
  if (exchange.json) {
    const window = stepUpWindow({
      verifiedAtMs: verifiedAtOf(request.session.data),
      now: resolved.clock(),
      maxAgeSeconds: resolved.stepUpMaxAgeSeconds,
    });
    return jsonResponse({
      factor: twoFactorEnabled ? 'code' : 'password',
      validUntil: window.fresh && window.validUntil ? window.validUntil.toISOString() : null,
    });
  }
  return stepUpPage(exchange, { twoFactorEnabled, returnTo: returnToOf(exchange, request.query.returnTo) });
}

/** The password of a user without 2FA, through the host's throttled check. Throws the refusal. */
async function checkPassword<N>(exchange: SignedInExchange<N>): Promise<void> {
  const { resolved, request, user, userId, body } = exchange;
  const password = readField(body, 'password');
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH)
    throw new InvalidInputError('The password is required.');
  // No host check, no password path: never an unthrottled password oracle (S29).
  if (!resolved.verifyStepUpPassword)
    throw new TwoFactorStateError(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.');
  const check = await resolved.verifyStepUpPassword({ request: request.native, user, password });
  if (check.ok) return;
  const meta = eventMeta(request);
  // Every refused password is audited like a refused code (S27).
  if (check.retryAfterSeconds !== undefined) {
    const retryAfterSeconds = Math.max(1, Math.ceil(check.retryAfterSeconds));
    await resolved.service.recordFailedPasswordStepUp({ userId, reason: 'backoff', retryAfterSeconds, meta });
    throw new ThrottledError(retryAfterSeconds);
  }
  await resolved.service.recordFailedPasswordStepUp({ userId, reason: 'wrong_password', meta });
  throw new InvalidPasswordError();
}

/**
 * `POST /step-up`: `code` or `backupCode` (2FA on) or `password` (2FA off), and an optional
 * `returnTo`. JSON: `{ status: 'confirmed', validUntil }` (with `backupCodes` when the last backup
 * code was used and reissued); browsers go back to `returnTo`, or see the new backup code first.
 *
 * @example
 * ```ts
 * const answer = await answerStepUp({ ...exchange, body });
 * ```
 */
export async function answerStepUp<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId, body } = exchange;
  const returnTo = returnToOf(exchange, readField(body, 'returnTo'));
  const twoFactorEnabled = await resolved.service.isEnabled(userId);
  const meta = eventMeta(request);
  let backupCodes: string[] | undefined;
  let failure: TwoFactorError | undefined;
  if (twoFactorEnabled) {
    const outcome = await resolved.service.confirmStepUp({
      userId,
      code: readField(body, 'code'),
      backupCode: readField(body, 'backupCode'),
      meta,
    });
    if (outcome.ok)
      backupCodes = outcome.backupCodes && outcome.backupCodes.length > 0 ? outcome.backupCodes : undefined;
    else failure = outcome.error;
  } else {
    try {
      await checkPassword(exchange);
      const recorded = await resolved.service.recordPasswordStepUp({ userId, meta });
      if (!recorded.ok) failure = recorded.error;
    } catch (error) {
      if (!(error instanceof Error) || toProblem(error).status >= 500) throw error;
      failure = error as TwoFactorError;
    }
  }
  if (failure) {
    if (exchange.json) throw failure;
    const failedField = !twoFactorEnabled
      ? 'password'
      : readField(body, 'backupCode') !== undefined && readField(body, 'code') === undefined
        ? 'backupCode'
        : 'code';
    return stepUpPage(exchange, { twoFactorEnabled, returnTo, failedField }, { problem: toProblem(failure) });
  }
  const now = resolved.clock();
  markVerified(request.session.data, now);
  const { validUntil } = stepUpWindow({
    verifiedAtMs: now.getTime(),
    now,
    maxAgeSeconds: resolved.stepUpMaxAgeSeconds,
  });
  if (exchange.json)
    return jsonResponse({
      status: 'confirmed',
      validUntil: validUntil?.toISOString(),
      ...(backupCodes ? { backupCodes } : {}),
    });
  if (!backupCodes) return redirectResponse(request.method, returnTo);
  const model = { ...baseModel(exchange), backupCodes, continueUrl: returnTo };
  return pageResponse(
    exchange,
    resolved.texts.backupCodeResetTitle,
    resolved.views.backupCodeReset(model, request.native),
  );
}
