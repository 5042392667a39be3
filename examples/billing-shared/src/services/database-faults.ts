/** Recognises "the database (or session store) is unreachable" among errors, so the site answers 503, not 500. */
import { StoreUnavailableError } from '@secondfactor/core';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  // PostgreSQL SQLSTATEs: connection exceptions, shutdown and start-up, too many connections, timeouts.
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '55P03',
  '57014',
]);

const UNAVAILABLE_NAMES = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
  'MaxRetriesPerRequestError',
  'CannotConnectAlreadyConnectedError',
]);

const UNAVAILABLE_MESSAGES = [
  /connection is in closed state/i,
  /Pool is closed/i,
  /Connection lost/i,
  /Stream isn't writeable/i,
  /Connection is closed/i,
  /connect ETIMEDOUT/i,
  // pg: a dropped socket, a connect timeout, a client or pool used after its end.
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /Cannot use a pool after calling end/i,
];

/**
 * True when `error` (or its `driverError` / `cause`) means the database or session store cannot be
 * reached, as opposed to a bug or bad input.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const candidate = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof candidate.code === 'string' &&
    (UNAVAILABLE_CODES.has(candidate.code) || candidate.code.startsWith('SQLITE_IOERR'))
  )
    return true;
  if (typeof candidate.name === 'string' && UNAVAILABLE_NAMES.has(candidate.name)) return true;
  if (
    typeof candidate.message === 'string' &&
    UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(candidate.message as string))
  )
    return true;
  if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1)))
    return true;
  return isDatabaseUnavailable(candidate.driverError, depth + 1) || isDatabaseUnavailable(candidate.cause, depth + 1);
}

/**
 * Runs a database lookup for a secondfactor hook (the strategy's `passwordFingerprint` and
 * `loadUser`) and turns "the database is unreachable" into core's `StoreUnavailableError`, so the
 * 2FA routes answer 503 `TWO_FACTOR_UNAVAILABLE` like a store fault, never a 500. Other errors pass.
 */
export async function asStoreFault<T>(lookup: () => Promise<T>): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new StoreUnavailableError(undefined, { cause: error });
    throw error;
  }
}
