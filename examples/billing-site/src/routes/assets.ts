/** Serves the stylesheet and icon from `public/`: local files, no CDN (the site must work offline). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import { SITE_ROOT } from '../config';

const ASSETS: Record<string, string> = {
  'styles.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * Routes for `/assets/<file>`. Files are read once at start-up; unknown names fall through to 404.
 *
 * @example
 * ```ts
 * app.use(assetRoutes().routes());
 * ```
 */
export function assetRoutes(publicDir: string = join(SITE_ROOT, 'public')): Router {
  const files = new Map(
    Object.entries(ASSETS).map(([name, type]) => [name, { type, content: readFileSync(join(publicDir, name)) }]),
  );
  const router = new Router();
  router.get('/assets/:file', (ctx) => {
    const file = files.get(ctx.params.file);
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.content;
  });
  router.get('/favicon.ico', (ctx) => {
    ctx.redirect('/assets/favicon.svg');
  });
  return router;
}
