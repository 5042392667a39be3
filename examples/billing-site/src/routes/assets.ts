/** Serves the shared stylesheet and icon at `/assets/<file>`. */
import Router from '@koa/router';
import { ASSET_CACHE_CONTROL, loadAssets } from '@secondfactor/example-billing-shared';

/**
 * Routes for `/assets/<file>`. Files are read once at start-up; unknown names fall through to 404.
 */
export function assetRoutes(): Router {
  const assets = loadAssets();
  const router = new Router();
  router.get('/assets/:file', (ctx) => {
    const file = assets.get(ctx.params.file);
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', ASSET_CACHE_CONTROL);
    ctx.body = file.content;
  });
  router.get('/favicon.ico', (ctx) => ctx.redirect('/assets/favicon.svg'));
  return router;
}
