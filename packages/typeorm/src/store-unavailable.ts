/**
 * Connection-level database faults become core's `StoreUnavailableError` (503,
 * `TWO_FACTOR_UNAVAILABLE`), so a host answers a clean 503 instead of a 500 with a driver message.
 * Anything else (a bug, a constraint the code did not expect) is left as it is.
 */
import { StoreUnavailableError } from '@secondfactor/core';

/** mysql2 / Node socket codes and SQLite result codes that mean "the database cannot serve now". */
const FAULT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  'ER_NET_WRITE_INTERRUPTED',
]);

/**
 * PostgreSQL SQLSTATEs for the same faults: connection exceptions (08xxx), shutdown and start-up
 * (57P01-57P03), too many connections (53300), out of disk (53100), I/O error (58030), a lock or
 * statement timeout (55P03, 57014), a deadlock after the store's retries (40P01), a read-only
 * standby (25006).
 */
const POSTGRES_FAULT_SQLSTATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53100',
  '58030',
  '55P03',
  '57014',
  '40P01',
  '25006',
]);

/** MySQL client and server error numbers for the same faults (the code string is not always set). */
const FAULT_ERRNOS = new Set([1040, 1053, 1203, 1205, 1213, 1317, 1927, 2002, 2003, 2005, 2006, 2013, 2055, 4031]);

/** SQLite extended codes share these prefixes, e.g. `SQLITE_IOERR_WRITE`, `SQLITE_BUSY_SNAPSHOT`. */
const SQLITE_FAULT_PREFIXES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
];

/** Faults that arrive without a code: a closed pool, a closed SQLite handle, a destroyed DataSource. */
const FAULT_MESSAGES = [
  /pool is closed/i,
  /connection is in closed state/i,
  /connection lost/i,
  /database connection is not open/i,
  /driver not connected/i,
  // pg: a dropped socket, a connect timeout, a client or pool used after its end.
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /cannot use a pool after calling end/i,
  /cannot execute operation on ".*" connection because connection is not yet established/i,
];
const FAULT_NAMES = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError']);

function isFaultItself(error: object): boolean {
  const { code, errno, name, message } = error as {
    code?: unknown;
    errno?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (
    typeof code === 'string' &&
    (FAULT_CODES.has(code) ||
      POSTGRES_FAULT_SQLSTATES.has(code) ||
      SQLITE_FAULT_PREFIXES.some((prefix) => code.startsWith(prefix)))
  )
    return true;
  if (typeof errno === 'number' && FAULT_ERRNOS.has(errno)) return true;
  if (typeof name === 'string' && FAULT_NAMES.has(name)) return true;
  return typeof message === 'string' && FAULT_MESSAGES.some((pattern) => pattern.test(message));
}

function isConnectionFault(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (error instanceof StoreUnavailableError) return true;
  if (isFaultItself(error)) return true;
  // TypeORM wraps driver errors (driverError); Node wraps socket errors (cause, AggregateError.errors).
  const { driverError, cause, errors } = error as { driverError?: unknown; cause?: unknown; errors?: unknown };
  if (isConnectionFault(driverError, depth + 1) || isConnectionFault(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => isConnectionFault(inner, depth + 1));
}

/**
 * The mapping from database faults to core's `StoreUnavailableError`, which
 * `TypeOrmTwoFactorStore` applies to every call. Hosts can reuse it for their own queries.
 *
 * - `isConnectionFault(error)`: true for ECONNREFUSED, ECONNRESET, ETIMEDOUT, PROTOCOL_CONNECTION_LOST,
 *   a closed pool or DataSource, too many connections, server shutdown, lock wait timeouts and
 *   deadlocks (after the store's retries), PostgreSQL's connection-exception and shutdown SQLSTATEs,
 *   and SQLite BUSY/LOCKED/IOERR/CANTOPEN/FULL/READONLY.
 * - `map(error)`: a `StoreUnavailableError` (503, `TWO_FACTOR_UNAVAILABLE`, the fault as `cause`)
 *   for such faults; any other error unchanged.
 *
 * @example
 * ```ts
 * import { TwoFactorStoreUnavailable } from '@secondfactor/typeorm';
 * try {
 *   await dataSource.query('SELECT 1');
 * } catch (error) {
 *   throw TwoFactorStoreUnavailable.map(error); // StoreUnavailableError when the database is down
 * }
 * ```
 */
export const TwoFactorStoreUnavailable = Object.freeze({
  /** Whether `error` (or anything it wraps) is a connection-level database fault. */
  isConnectionFault(error: unknown): boolean {
    return isConnectionFault(error);
  },
  /** `error` as a `StoreUnavailableError` when it is a connection-level fault; otherwise `error` itself. */
  map(error: unknown): unknown {
    if (error instanceof StoreUnavailableError) return error;
    return isConnectionFault(error) ? new StoreUnavailableError(undefined, { cause: error }) : error;
  },
});
