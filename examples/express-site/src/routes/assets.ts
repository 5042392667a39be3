/** Serves the shared stylesheet and icon at `/assets/<file>`. */
import { ASSET_CACHE_CONTROL, loadAssets } from '@secondfactor/example-billing-shared';
import { Router } from 'express';

/**
 * Routes for `/assets/<file>`. Files are read once at start-up; unknown names fall through to 404.
 */
export function assetRoutes(): Router {
  const assets = loadAssets();
  const router = Router();
  router.get('/assets/:file', (req, res, next) => {
    const file = assets.get(req.params.file);
    if (!file) return next();
    res.type(file.type).set('Cache-Control', ASSET_CACHE_CONTROL).send(file.content);
  });
  router.get('/favicon.ico', (_req, res) => res.redirect('/assets/favicon.svg'));
  return router;
}
