/** @secondfactor/sessions/express: the `Store` class for express-session. */
export {
  ExpressSessionStore,
  type ExpressClientRequest,
  type ExpressSessionStoreOptions,
} from './express-session-store';
