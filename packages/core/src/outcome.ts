/** Expected outcomes are results, not exceptions (house style). */
import type { TwoFactorError } from './errors';
import type { TwoFactorEventReason } from './events';

/** A refused operation: the typed error to answer with, and the precise reason for logs. */
export interface TwoFactorFailure {
  ok: false;
  /** Carries `code`, `status`, `expose` and `headers` for the HTTP answer. */
  error: TwoFactorError;
  /** Why, precisely; for events and logs, never for the client (S14). */
  reason: TwoFactorEventReason;
  /**
   * The user's new security stamp when the operation rotated it before it was refused (S31): a
   * change that lost a race to a parallel one. The session that asked carries on with it.
   */
  securityStamp?: string;
}

/**
 * The result of a service operation: `{ ok: true, …value }` or a {@link TwoFactorFailure}.
 *
 * @example
 * ```ts
 * declare const outcome: TwoFactorOutcome<{ step: number }>;
 * if (!outcome.ok) throw outcome.error;
 * ```
 */
export type TwoFactorOutcome<T extends object = object> = ({ ok: true } & T) | TwoFactorFailure;
