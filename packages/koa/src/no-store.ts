/** Secrets, QR codes, backup codes and challenge pages must never be cached (S25). */
import type { Context, Next } from 'koa';

/**
 * Sets `Cache-Control: no-store` (and `Pragma: no-cache` for HTTP/1.0 caches) before the route
 * runs, so error answers carry it too.
 *
 * @example
 * ```ts
 * router.post('/enroll', noStore, enroll);
 * ```
 */
export async function noStore(ctx: Context, next: Next): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  await next();
}
