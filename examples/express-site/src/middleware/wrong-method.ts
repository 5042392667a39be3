/** The 405 of the site's own routes: Express answers an unmatched method with a 404, Koa's router with a 405. */
import { methodNotAllowed } from '@secondfactor/example-billing-shared';
import type { RequestHandler } from 'express';

/**
 * Mount with `.all()` after a route's methods: any other method is the client's mistake, a 405 with
 * the usual error body, never a 404 or a 501.
 */
export const wrongMethod: RequestHandler = (_req, _res, next) => next(methodNotAllowed());
