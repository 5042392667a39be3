/**
 * What the sites answer for any failure, decided once for both frameworks: a status, a stable code
 * and a client-safe message, as `{ error: { code, message } }` for JSON clients or an error page for
 * browsers. Only 4xx messages are shown; 5xx details stay in the log.
 */
import { isTwoFactorError } from '@secondfactor/core';
import { isDatabaseUnavailable } from '../services/database-faults';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { errorPage } from '../views/error-page';
import type { SitePage } from './site-page';

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
 * The refusal of a state change without a valid CSRF token (S25), the same on both sites.
 */
export function csrfRefusal(): SiteError {
  return new SiteError(
    403,
    SiteErrorCode.CsrfInvalid,
    'The form expired or the security token is missing. Reload the page and try again.',
  );
}

/**
 * The 404 of an address no route answers.
 */
export function notFound(): SiteError {
  return new SiteError(404, SiteErrorCode.NotFound, 'There is nothing at this address.');
}

/**
 * The 405 of a known address asked with a method it does not accept: the client's mistake, never a 501.
 */
export function methodNotAllowed(): SiteError {
  return new SiteError(405, SiteErrorCode.MethodNotAllowed, 'This address does not accept that method.');
}

// csrf-sync's refusal (csurf's code before it).
const CSRF_SYNC_CODE = 'EBADCSRFTOKEN';

/**
 * Maps any thrown value to a status, a stable code and a client-safe message.
 */
export function describeError(error: unknown): ErrorAnswer {
  if ((error as { code?: unknown } | null)?.code === CSRF_SYNC_CODE) return describeError(csrfRefusal());
  if (error instanceof SiteError)
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      headers: { ...error.headers },
      fields: error.fields,
    };
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
    // Body parser errors carry a `type` (e.g. 'entity.parse.failed'); their messages are safe but technical.
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
 * A body sent with `Content-Encoding: gzip | deflate | br` that does not decompress: Koa's body parser
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
 * The JSON body of an error answer; per-field messages come along for forms.
 */
export function errorJson(answer: ErrorAnswer): {
  error: { code: string; message: string; fields?: Record<string, string> };
} {
  const fields = answer.fields && Object.keys(answer.fields).length ? { fields: answer.fields } : {};
  return { error: { code: answer.code, message: answer.message, ...fields } };
}

/**
 * The error page of an error answer, for the site layout.
 */
export function errorPageOf(answer: ErrorAnswer): SitePage {
  const title = TITLES[answer.status];
  return {
    title: title ?? 'Error',
    body: errorPage({ status: answer.status, title: title ?? 'Something went wrong', message: answer.message }),
    status: answer.status,
  };
}

/**
 * One log line for a 5xx: method, path, status, code and the start of the stack (never a request body).
 */
export function serverErrorLine(input: { method: string; path: string; answer: ErrorAnswer; error: unknown }): string {
  const { method, path, answer, error } = input;
  const summary =
    error instanceof Error
      ? `${error.name}: ${error.message}${error.stack ? `\n${error.stack.split('\n').slice(1, 6).join('\n')}` : ''}`
      : String(error);
  return `error: ${method} ${path} -> ${answer.status} ${answer.code}: ${summary}`;
}
