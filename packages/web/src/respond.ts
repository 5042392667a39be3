/** Writing answers: a JSON body, a page in the host's layout, or an error in either form. */
import type { ResolvedOptions } from './options';
import type { Problem } from './problem';
import type { WebRequest } from './request';
import { jsonResponse, type WebResponse } from './response';
import type { ClientErrorCode } from './texts';
import type { BaseViewModel } from './views';

/**
 * One request in flight: the request, the options, and whether the client wants JSON.
 */
export interface Exchange<N = unknown> {
  request: WebRequest<N>;
  resolved: ResolvedOptions<N>;
  json: boolean;
}

/**
 * The catalog's message for an error code; unknown codes get the generic one.
 */
export function messageFor<N>(resolved: ResolvedOptions<N>, code: ClientErrorCode): string {
  return resolved.texts.errors[code] ?? resolved.texts.errors.TWO_FACTOR_INTERNAL;
}

/**
 * The model every view starts from.
 */
export function baseModel<N>(exchange: Exchange<N>, error?: string): BaseViewModel {
  const { resolved, request } = exchange;
  return {
    texts: resolved.texts,
    csrfToken: request.csrfToken,
    paths: {
      management: resolved.managementPrefix,
      challenge: resolved.challengePrefix,
      successRedirect: resolved.successRedirect,
      loginPath: resolved.loginPath,
      settings: resolved.settingsPath,
    },
    error,
  };
}

/**
 * A view wrapped in the host's layout. A refusal's title starts with "Error: ", so a reload that
 * shows an error says so before anything else is read.
 */
export function pageResponse<N>(
  exchange: Exchange<N>,
  title: string,
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): WebResponse {
  const { texts } = exchange.resolved;
  const pageTitle = status >= 400 ? `${texts.errorTitlePrefix}${title}` : title;
  const html = exchange.resolved.layout(exchange.request.native, { title: pageTitle, body });
  return { kind: 'page', status, headers: { ...headers }, html };
}

/**
 * A problem as `{ error: { code, message } }` or as the error page; `fault` is what the adapter
 * reports to the host's logger (never to the client).
 */
export function problemResponse<N>(
  exchange: Exchange<N>,
  problem: Problem,
  continueUrl: string,
  fault?: unknown,
): WebResponse {
  const { resolved, request } = exchange;
  const message = messageFor(resolved, problem.code);
  const response = exchange.json
    ? jsonResponse({ error: { code: problem.code, message } }, problem.status, problem.headers)
    : pageResponse(
        exchange,
        resolved.texts.errorTitle,
        resolved.views.error(
          { ...baseModel(exchange, message), status: problem.status, code: problem.code, message, continueUrl },
          request.native,
        ),
        problem.status,
        problem.headers,
      );
  return fault === undefined ? response : { ...response, fault };
}
