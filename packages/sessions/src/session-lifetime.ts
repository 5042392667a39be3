/**
 * Session lifetimes (S33): an idle timeout measured from the last request and an absolute
 * lifetime measured from sign-in, both checked on the server, never trusted to the cookie.
 */

/** How long a session may live. Leave a field out (or 0) for no limit of that kind. */
export interface SessionLifetime {
  /** Minutes without a request after which the session ends (S33 default 30). */
  idleMinutes?: number;
  /** Hours after its creation at which the session ends however active (S33 default 12). */
  maxHours?: number;
}

/** The times {@link sessionExpired} looks at. */
export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

/** Options of {@link sessionExpired}. */
export interface SessionExpiredOptions extends SessionLifetime {
  now: Date;
}

/** Why a session ended: `idle` (no request for too long) or `absolute` (too old). */
export type SessionExpiryReason = 'idle' | 'absolute';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function limitMs(value: number | undefined, unitMs: number, name: string): number | null {
  if (value === undefined || value === 0) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a positive number of ${unitMs === MINUTE_MS ? 'minutes' : 'hours'}.`);
  return value * unitMs;
}

/** The lifetime in milliseconds, validated: `{ idleMs, maxMs }`, null for no limit. */
export function lifetimeMs(lifetime: SessionLifetime = {}): { idleMs: number | null; maxMs: number | null } {
  return {
    idleMs: limitMs(lifetime.idleMinutes, MINUTE_MS, 'idleMinutes'),
    maxMs: limitMs(lifetime.maxHours, HOUR_MS, 'maxHours'),
  };
}

/**
 * Whether a session has outlived its lifetime at `now`: `'idle'` or `'absolute'` when it has (the
 * absolute lifetime wins when both apply), `false` when it may go on.
 *
 * @example
 * ```ts
 * import { sessionExpired } from '@secondfactor/sessions';
 * const reason = sessionExpired(
 *   { createdAt: new Date('2030-01-01T08:00:00Z'), lastSeenAt: new Date('2030-01-01T09:00:00Z') },
 *   { idleMinutes: 30, maxHours: 12, now: new Date('2030-01-01T09:45:00Z') },
 * ); // 'idle'
 * ```
 */
export function sessionExpired(session: SessionTimes, options: SessionExpiredOptions): SessionExpiryReason | false {
  const { idleMs, maxMs } = lifetimeMs(options);
  const now = options.now.getTime();
  if (maxMs !== null && now - session.createdAt.getTime() >= maxMs) return 'absolute';
  if (idleMs !== null && now - session.lastSeenAt.getTime() >= idleMs) return 'idle';
  return false;
}
