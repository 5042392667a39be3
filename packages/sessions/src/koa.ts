/** @secondfactor/sessions/koa: the store shim for koa-session 7. */
export {
  koaSessionStore,
  type KoaClientContext,
  type KoaSessionExternalStore,
  type KoaSessionMaxAge,
  type KoaSessionStoreOptions,
} from './koa-session-store';
