/** @secondfactor/sessions/redis: the session store over Redis (ioredis 5). */
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store';
