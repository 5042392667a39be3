/**
 * Express to the neutral request of @secondfactor/web: method, path, query, the body (parsed here
 * with a size limit when the host has no body parser), headers, the csrf-sync token, the session
 * and Passport's `req.logIn`.
 */
import type { WebRequest, WebSession } from '@secondfactor/web';
import express, { type Request, type RequestHandler } from 'express';

/** Runs one of express's body parsers as a promise. */
function runParser(parser: RequestHandler, req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    parser(req, {} as never, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

/**
 * The CSRF token a request carries: the `_csrf` body field (forms) or the `x-csrf-token` header
 * (API clients), never the query string (tokens leak from URLs). Give it to csrf-sync.
 *
 * @example
 * ```ts
 * const { csrfSynchronisedProtection } = csrfSync({ getTokenFromRequest: csrfTokenFromRequest });
 * ```
 */
export function csrfTokenFromRequest(req: Request): string | undefined {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && Object.hasOwn(body, '_csrf')) {
    const field = (body as Record<string, unknown>)._csrf;
    if (typeof field === 'string') return field;
  }
  const header = req.headers['x-csrf-token'];
  return typeof header === 'string' ? header : undefined;
}

/** Passport's `req.logIn` as a promise; passport 0.7 regenerates the session in it (S23). */
function logIn(req: Request, user: unknown): Promise<void> {
  const login = (req as unknown as { logIn?: (user: unknown, done: (error?: unknown) => void) => void }).logIn;
  if (typeof login !== 'function')
    return Promise.reject(
      new Error(
        'req.logIn is missing: mount passport.initialize() and passport.session() before the two-factor routers.',
      ),
    );
  return new Promise((resolve, reject) => login.call(req, user, (error) => (error ? reject(error) : resolve())));
}

/** express-session's `req.session` as the flows use it. */
type ExpressSession = object & { regenerate?: (done: (error?: unknown) => void) => void; passport?: unknown };

function sessionOf(req: Request): ExpressSession | undefined {
  const session = (req as unknown as { session?: unknown }).session;
  return session && typeof session === 'object' ? session : undefined;
}

/** express-session's session, with Passport's login, for the flows. */
function webSession(req: Request): WebSession {
  const data = sessionOf(req);
  const regenerate = data?.regenerate;
  return {
    data,
    // Passport 0.7 regenerates into a new req.session: that one is written from then on.
    logIn: async (user) => {
      await logIn(req, user);
      return sessionOf(req);
    },
    // express-session regenerates into a new, empty session object on req.session.
    regenerate:
      typeof regenerate === 'function'
        ? () =>
            new Promise((resolve, reject) =>
              regenerate.call(data, (error) => (error ? reject(error) : resolve(sessionOf(req) ?? {}))),
            )
        : undefined,
    forgetUser() {
      if (data) delete data.passport;
      (req as unknown as { user?: unknown }).user = undefined;
    },
    current: () => sessionOf(req),
  };
}

/**
 * Builds the request reader for one body limit.
 */
export function webRequestReader(bodyLimit: string | number): (req: Request) => WebRequest<Request> {
  const parsers = [
    express.json({ limit: bodyLimit, strict: true }),
    express.urlencoded({ limit: bodyLimit, extended: false }),
  ];
  return (req) => {
    return {
      method: req.method,
      path: req.baseUrl + req.path,
      params: Object.fromEntries(
        Object.entries(req.params ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.join('/') : value]),
      ),
      query: req.query as Record<string, unknown>,
      async readBody() {
        // Each parser skips a body already parsed (by the host's parser or the one before).
        if (req.body === undefined) for (const parser of parsers) await runParser(parser, req);
        return req.body;
      },
      accept: req.get('accept') ?? '',
      contentType: req.get('content-type') ?? '',
      // csrf-sync's middleware adds req.csrfToken(); read lazily, as it writes the token into the session.
      get csrfToken() {
        const generate = (req as unknown as { csrfToken?: unknown }).csrfToken;
        return typeof generate === 'function' ? String(generate.call(req)) : undefined;
      },
      session: webSession(req),
      // S34: appended, so express-session's own Set-Cookie (written later, at writeHead) is kept.
      cookies: {
        header: req.get('cookie') ?? '',
        secure: req.secure,
        append: (value) => void req.res?.append('Set-Cookie', value),
      },
      meta: { ip: req.ip || undefined, userAgent: req.get('user-agent') || undefined },
      native: req,
    };
  };
}
