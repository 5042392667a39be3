import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTwoFactorWeb, type TwoFactorWebOptions, type WebRequest, type WebResponse } from '@secondfactor/web';

/** What your session layer gives each request: its session object, its user, and how to sign in. */
export interface NodeRequest {
  req: IncomingMessage;
  session: object | undefined;
  user: { id: string; email: string } | undefined;
  body: unknown;
  csrfToken: string | undefined;
  logIn(user: unknown): Promise<void>;
}

type User = { id: string; email: string };

/** A tiny adapter: match a route of the table, translate, answer. */
export function createHandler(options: Omit<TwoFactorWebOptions<User, NodeRequest>, 'getUser'>) {
  const web = createTwoFactorWeb<User, NodeRequest>({ ...options, getUser: (request) => request.user });
  const prefixes = { management: web.options.managementPrefix, challenge: web.options.challengePrefix };

  function toWebRequest(native: NodeRequest): WebRequest<NodeRequest> {
    const url = new URL(native.req.url ?? '/', 'http://localhost');
    return {
      method: native.req.method ?? 'GET',
      path: url.pathname,
      params: {},
      query: Object.fromEntries(url.searchParams),
      readBody: async () => native.body,
      accept: native.req.headers.accept ?? '',
      contentType: native.req.headers['content-type'] ?? '',
      csrfToken: native.csrfToken,
      session: { data: native.session, logIn: (user) => native.logIn(user) },
      meta: { ip: native.req.socket.remoteAddress, userAgent: native.req.headers['user-agent'] },
      native,
    };
  }

  function send(res: ServerResponse, response: WebResponse): void {
    if (response.fault !== undefined) console.error(response.fault);
    res.statusCode = response.status;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (response.kind === 'redirect') {
      res.setHeader('Location', response.location);
      res.end();
    } else if (response.kind === 'json') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(response.json));
    } else {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(response.html);
    }
  }

  /** Answers a two-factor route and returns true, or returns false for any other request. */
  return async function handle(native: NodeRequest, res: ServerResponse): Promise<boolean> {
    const request = toWebRequest(native);
    const route = web.routes.find(
      (candidate) =>
        candidate.method === request.method &&
        request.path.replace(/\/$/, '') === prefixes[candidate.router] + (candidate.path === '/' ? '' : candidate.path),
    );
    if (!route) return false;
    send(res, await route.handle(request));
    return true;
  };
}
