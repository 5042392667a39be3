/** 401 and 403 answers as site events (S27): CSRF refusals and refused access, logged and audited. */
import { AccountEventType, type AccountEvent } from '../services/account-events';

/** What a framework knows about a finished request. */
export interface FinishedRequest {
  status: number;
  /** The error code of the answer, when an error handler produced it. */
  code?: string;
  method: string;
  path: string;
  /** Passport's user id in the session, if any: the account the refusal concerns. */
  sessionUserId?: unknown;
  ip?: string;
  userAgent?: string;
}

/**
 * The event for a refused request, or null for any other answer.
 */
export function refusalEvent(request: FinishedRequest): AccountEvent | null {
  if (request.status !== 401 && request.status !== 403) return null;
  const csrf = /CSRF/.test(request.code ?? '');
  const userId =
    typeof request.sessionUserId === 'string' || typeof request.sessionUserId === 'number'
      ? String(request.sessionUserId)
      : undefined;
  return {
    type: csrf ? AccountEventType.CsrfRefused : AccountEventType.AccessRefused,
    userId,
    status: request.status,
    reason: request.code,
    path: `${request.method} ${request.path}`.slice(0, 200),
    ip: request.ip,
    userAgent: request.userAgent,
  };
}
