/**
 * One error middleware for the whole site: every failure becomes `{ error: { code, message } }` for
 * JSON clients or an error page for browsers. Only 4xx messages are shown; 5xx details stay in the log.
 */
import { isTwoFactorError } from '@secondfactor/core';
import type { Context, Next } from 'koa';
import { isDatabaseUnavailable } from '../services/database-faults';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { errorPage } from '../views/error-page';
import { renderPage, wantsJson } from './request-context';

/** The answer for one error. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
  fields?: Record<string, string>;
}

const CODES_BY_STATUS: Record<number, string> = {
  400: SiteErrorCode.BadRequest,
  401: SiteErrorCode.NotSignedIn,
  403: SiteErrorCode.Forbidden,
  404: SiteErrorCode.NotFound,
  413: SiteErrorCode.PayloadTooLarge,
  415: SiteErrorCode.UnsupportedMediaType,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Conflict',
  413: 'Request too large',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
};

/**
 * Maps any thrown value to a status, a stable code and a client-safe message.
 *
 * @example
 * ```ts
 * describeError(new SiteError(409, 'EMAIL_TAKEN', 'Taken')); // { status: 409, code: 'EMAIL_TAKEN', … }
 * ```
 */
export function describeError(error: unknown): ErrorAnswer {
  if (error instanceof SiteError)
    return { status: error.status, code: error.code, message: error.message, headers: {}, fields: error.fields };
  if (isTwoFactorError(error)) {
    const status = error.status;
    return {
      status,
      code: error.code,
      message: status < 500 ? error.message : serverMessage(status),
      headers: { ...error.headers },
    };
  }
  if (isCorruptCompressedBody(error)) {
    return { status: 400, code: SiteErrorCode.BadRequest, message: 'The request body could not be read.', headers: {} };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: SiteErrorCode.ServiceUnavailable,
      message: serverMessage(503),
      headers: { 'Retry-After': '5' },
    };
  }
  const httpError = error as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
    code?: unknown;
    type?: unknown;
  };
  const status =
    typeof httpError.status === 'number'
      ? httpError.status
      : typeof httpError.statusCode === 'number'
        ? httpError.statusCode
        : 500;
  if (status >= 400 && status < 500) {
    // co-body errors carry a `type` (e.g. 'entity.parse.failed'); their messages are safe but technical.
    const message =
      httpError.expose && typeof httpError.message === 'string' && !httpError.type
        ? httpError.message
        : (TITLES[status] ?? 'Bad request');
    return { status, code: CODES_BY_STATUS[status] ?? SiteErrorCode.BadRequest, message, headers: {} };
  }
  return {
    status: status >= 500 && status < 600 ? status : 500,
    code: status === 503 ? SiteErrorCode.ServiceUnavailable : SiteErrorCode.Internal,
    message: serverMessage(status),
    headers: {},
  };
}

/**
 * A body sent with `Content-Encoding: gzip | deflate | br` that does not decompress: the body parser
 * passes zlib's error on without a status, and it is the client's fault (a 400, not a 500).
 */
function isCorruptCompressedBody(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // zlib's codes all start with Z_ (Z_DATA_ERROR, Z_BUF_ERROR, Z_NEED_DICT…); brotli's with ERR__ERROR_.
  return (
    typeof code === 'string' &&
    (/^Z_[A-Z_]+$/.test(code) || /^ERR__?ERROR_/.test(code) || code.startsWith('ERR_BROTLI'))
  );
}

function serverMessage(status: number): string {
  return status === 503
    ? 'The service is temporarily unavailable. Please try again in a moment.'
    : 'Something went wrong on our side. Please try again.';
}

/**
 * Koa middleware; mount it first. Logs 5xx with the stack (never a request body), never crashes.
 *
 * @example
 * ```ts
 * app.use(errorHandler((line) => console.error(line)));
 * ```
 */
export function errorHandler(log: (line: string) => void = (line) => console.error(line)) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined)
        throw new SiteError(404, SiteErrorCode.NotFound, 'There is nothing at this address.');
    } catch (error) {
      const answer = describeError(error);
      if (answer.status >= 500)
        log(`error: ${ctx.method} ${ctx.path} -> ${answer.status} ${answer.code}: ${errorSummary(error)}`);
      ctx.set(answer.headers);
      ctx.set('Cache-Control', 'no-store');
      if (wantsJson(ctx)) {
        ctx.status = answer.status;
        ctx.body = {
          error: {
            code: answer.code,
            message: answer.message,
            ...(answer.fields && Object.keys(answer.fields).length ? { fields: answer.fields } : {}),
          },
        };
        return;
      }
      try {
        renderPage(ctx, {
          title: TITLES[answer.status] ?? 'Error',
          body: errorPage({
            status: answer.status,
            title: TITLES[answer.status] ?? 'Something went wrong',
            message: answer.message,
          }),
          status: answer.status,
        });
      } catch {
        // Rendering needs the session; when the store is down, plain text still answers.
        ctx.status = answer.status;
        ctx.type = 'text';
        ctx.body = answer.message;
      }
    }
  };
}

function errorSummary(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}${error.stack ? `\n${error.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(error);
}
