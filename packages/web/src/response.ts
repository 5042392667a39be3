/**
 * The framework-neutral answer the handlers return: a page, a JSON body or a redirect, with its
 * status and headers. An adapter writes it to `ctx` or `res` as is.
 */

/**
 * What an adapter sends. `fault`, when set, is an error the adapter reports to the host's logger;
 * the answer itself never carries its message.
 *
 * @example
 * ```ts
 * const answer: WebResponse = { kind: 'json', status: 200, headers: {}, json: { enabled: false } };
 * ```
 */
export type WebResponse =
  | { kind: 'page'; status: number; headers: Record<string, string>; html: string; fault?: unknown }
  | { kind: 'json'; status: number; headers: Record<string, string>; json: object; fault?: unknown }
  | { kind: 'redirect'; status: 302 | 303; headers: Record<string, string>; location: string; fault?: unknown };

/**
 * A JSON answer.
 */
export function jsonResponse(json: object, status = 200, headers: Record<string, string> = {}): WebResponse {
  return { kind: 'json', status, headers: { ...headers }, json };
}

/**
 * A redirect: 302 after a GET or HEAD, 303 otherwise, so a browser follows a POST with a GET.
 */
export function redirectResponse(method: string, location: string): WebResponse {
  return { kind: 'redirect', status: method === 'GET' || method === 'HEAD' ? 302 : 303, headers: {}, location };
}
