/**
 * The Express error middleware of the site: every failure is answered as the shared error answer
 * decides, `{ error: { code, message } }` for JSON clients or the error page for browsers. csrf-sync's
 * refusal is one of them (403 `CSRF_INVALID`, as on the Koa site).
 */
import { describeError, errorJson, errorPageOf, serverErrorLine } from '@secondfactor/example-billing-shared';
import type { ErrorRequestHandler } from 'express';
import { wantsJson } from './request-context';
import { renderPage } from './send';

/**
 * Express error middleware; mount it last. Logs 5xx with the stack (never a request body), never crashes.
 */
export function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const answer = describeError(error);
    res.locals.errorCode = answer.code;
    if (answer.status >= 500) log(serverErrorLine({ method: req.method, path: req.path, answer, error }));
    res.set(answer.headers).set('Cache-Control', 'no-store');
    if (wantsJson(req)) {
      res.status(answer.status).json(errorJson(answer));
      return;
    }
    try {
      renderPage(req, res, errorPageOf(answer));
    } catch {
      // Rendering needs the session; when the store is down, plain text still answers.
      res.status(answer.status).type('text').send(answer.message);
    }
  };
}
