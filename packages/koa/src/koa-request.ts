/**
 * Koa to the neutral request of @secondfactor/web: method, path, query, the body (parsed here with a
 * size limit when the host has no body parser), headers, the koa-csrf token, the session and
 * koa-passport's `ctx.login`.
 */
import { bodyParser } from '@koa/bodyparser';
import type { WebRequest, WebSession } from '@secondfactor/web';
import type { Context } from 'koa';

/**
 * The current CSRF token: `ctx.state._csrf` (koa-csrf 5) or `ctx.csrf` (older koa-csrf), if any.
 */
export function csrfToken(ctx: Context): string | undefined {
  const fromState = (ctx.state as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromState === 'string' && fromState) return fromState;
  const legacy = (ctx as unknown as { csrf?: unknown }).csrf;
  return typeof legacy === 'string' && legacy ? legacy : undefined;
}

/**
 * Builds the request reader for one body limit.
 */
export function webRequestReader(bodyLimit: string | number): (ctx: Context) => WebRequest<Context> {
  const parser = bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: bodyLimit,
    formLimit: bodyLimit,
    jsonStrict: true,
  });
  return (ctx) => ({
    method: ctx.method,
    path: ctx.path,
    params: (ctx as unknown as { params?: Record<string, string> }).params ?? {},
    query: ctx.query,
    async readBody() {
      if (ctx.request.body === undefined) await parser(ctx, async () => undefined);
      return ctx.request.body;
    },
    accept: ctx.get('accept'),
    contentType: ctx.get('content-type'),
    csrfToken: csrfToken(ctx),
    session: webSession(ctx),
    // S34: appended; koa-session's ctx.cookies.set adds its own cookie to the same header later.
    cookies: {
      header: ctx.get('cookie'),
      secure: ctx.secure,
      append: (value) => ctx.append('Set-Cookie', value),
    },
    meta: { ip: ctx.ip || undefined, userAgent: ctx.get('user-agent') || undefined },
    native: ctx,
  });
}

/** koa-session's session, with koa-passport's login, for the flows. */
function webSession(ctx: Context): WebSession {
  const data = sessionOf(ctx);
  const regenerate = (data as { regenerate?: unknown } | undefined)?.regenerate;
  return {
    data,
    async logIn(user) {
      // koa-passport's ctx.login: passport 0.6 and 0.7 regenerate the session in it (S23).
      const login = (ctx as unknown as { login?: (user: unknown) => Promise<void> }).login;
      if (typeof login !== 'function')
        throw new Error(
          'ctx.login is missing: mount passport.initialize() and passport.session() before the two-factor routers.',
        );
      await login.call(ctx, user);
      return sessionOf(ctx);
    },
    // koa-session 6+ regenerates in place: a new id, the same data (so forgetUser comes first).
    regenerate:
      typeof regenerate === 'function'
        ? async () => {
            await regenerate.call(data);
            return sessionOf(ctx) ?? (data as object);
          }
        : undefined,
    forgetUser() {
      if (data) delete (data as { passport?: unknown }).passport;
      delete (ctx.state as { user?: unknown }).user;
    },
    current: () => sessionOf(ctx),
  };
}

/** The session koa-session put on the context, if any (typed loosely so hosts need not install its types). */
function sessionOf(ctx: Context): object | undefined {
  const session = (ctx as unknown as { session?: unknown }).session;
  return session && typeof session === 'object' ? session : undefined;
}
