/** Writes a neutral answer of @secondfactor/web to Express's `res`, and reports its fault to the host. */
import type { WebResponse } from '@secondfactor/web';
import type { Request, Response } from 'express';

/**
 * Sets status, headers and body; a fault goes to `reportError` (the host's logger), never to the client.
 */
export function send(
  req: Request,
  res: Response,
  response: WebResponse,
  reportError: (error: unknown, req: Request) => void,
): void {
  if (response.fault !== undefined) reportError(response.fault, req);
  res.set(response.headers);
  if (response.kind === 'redirect') res.redirect(response.status, response.location);
  else if (response.kind === 'json') res.status(response.status).json(response.json);
  else res.status(response.status).type('html').send(response.html);
}
