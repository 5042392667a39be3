/** The local Redis the session variants of the site's tests use, and whether it answers. */
import { createConnection } from 'node:net';

/** Host and port of the test Redis. */
const REDIS_HOST = '127.0.0.1';
const REDIS_PORT = 6379;

/**
 * `REDIS_URL` for a site that keeps its sessions in the test Redis. Database 1: the sites' sessions
 * (kept until their 8-hour lifetime ends) stay out of database 0, whose whole key space the tests of
 * @secondfactor/sessions scan.
 */
export const TEST_REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}/1`;

/**
 * Whether the test Redis accepts a TCP connection within `timeoutMs`.
 */
export function redisReachable(timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: REDIS_HOST, port: REDIS_PORT });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Skips the calling suite, with the reason printed, when the test Redis does not answer.
 */
export async function skipWithoutRedis(context: Mocha.Context): Promise<void> {
  if (await redisReachable()) return;
  console.log(
    `      skipped: Redis is not reachable on ${REDIS_HOST}:${REDIS_PORT}; the database-session variant still runs.`,
  );
  context.skip();
}
