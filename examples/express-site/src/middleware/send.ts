/** Writes the answers of the site's routes as Express responses: pages in the site layout, JSON, redirects. */
import { renderSitePage, type SiteAnswer, type SitePage } from '@secondfactor/example-billing-shared';
import type { Request, Response } from 'express';
import { pageRequest } from './request-context';

/**
 * Answers with a whole HTML page in the site layout.
 */
export function renderPage(req: Request, res: Response, page: SitePage): void {
  res
    .status(page.status ?? 200)
    .type('html')
    .send(renderSitePage(pageRequest(req), page));
}

/**
 * Writes a shared route decision as Express's response.
 */
export function send(req: Request, res: Response, answer: SiteAnswer): void {
  if (answer.kind === 'redirect') return res.redirect(answer.location);
  if (answer.kind === 'page') return renderPage(req, res, answer.page);
  if (answer.noStore) res.set('Cache-Control', 'no-store');
  res.status(answer.status).json(answer.body);
}
