/**
 * Session binding (S31): a full sign-in records the user's security stamp in the session, and the
 * one access decision signs out a session whose stamp is no longer the user's. The stamp comes from
 * the host's `getSecurityStamp(user)`, read off the user the host already loaded, so the check costs
 * no query and works with any session store.
 */
import type { ResolvedOptions } from './options';
import type { WebRequest } from './request';

/**
 * The session field that holds the stamp a session signed in with. Hosts never write it.
 *
 * @example
 * ```ts
 * const signedInWith = (req.session as Record<string, unknown>)[SECURITY_STAMP_SESSION_KEY];
 * ```
 */
export const SECURITY_STAMP_SESSION_KEY = 'secondfactorStamp';

/**
 * The session field that says the user had 2FA on when the session's stamp was recorded. Every
 * change of the user's 2FA state rotates the stamp, so while the stamp is current the 2FA policy's
 * gate (S36) needs no store read for this session.
 */
const TWO_FACTOR_ON_SESSION_KEY = 'secondfactorOn';

type SessionRecord = Record<string, unknown>;

/** The session object to write to now: after a regeneration, the new one. */
function liveSession<N>(request: WebRequest<N>): SessionRecord | undefined {
  const data = request.session.current ? request.session.current() : request.session.data;
  return data && typeof data === 'object' ? (data as SessionRecord) : undefined;
}

/**
 * The user's stamp by the host's hook: a non-empty string, or undefined when the host keeps none
 * (no hook, or a user without a stamp yet).
 */
function stampOf<N>(resolved: ResolvedOptions<N>, user: unknown): string | undefined {
  if (!resolved.getSecurityStamp) return undefined;
  const stamp = resolved.getSecurityStamp(user);
  return typeof stamp === 'string' && stamp.length > 0 ? stamp : undefined;
}

/**
 * Records `stamp` (or the signed-in user's stamp) in the live session: at a full sign-in, and after
 * a change that rotated it, so the session that made the change carries on (S31).
 */
export function recordSecurityStamp<N>(
  resolved: ResolvedOptions<N>,
  request: WebRequest<N>,
  source: { user: unknown } | { stamp: string | undefined },
  twoFactor?: 'on' | 'off' | 'unchanged',
): void {
  if (!resolved.getSecurityStamp) return;
  const session = liveSession(request);
  if (!session) return;
  const stamp = 'stamp' in source ? source.stamp : stampOf(resolved, source.user);
  if (stamp === undefined) delete session[SECURITY_STAMP_SESSION_KEY];
  else session[SECURITY_STAMP_SESSION_KEY] = stamp;
  if (twoFactor === 'unchanged' && stamp !== undefined) return;
  if (twoFactor === 'on' && stamp !== undefined && resolved.service.rotatesSecurityStamps)
    session[TWO_FACTOR_ON_SESSION_KEY] = true;
  else delete session[TWO_FACTOR_ON_SESSION_KEY];
}

/**
 * Whether this session, whose stamp the access decision has just found current, signed in (or
 * enabled 2FA) with 2FA on. Only with both stamp hooks: then any later change of the 2FA state
 * would have rotated the stamp and signed the session out.
 */
export function sessionKnowsTwoFactorOn<N>(resolved: ResolvedOptions<N>, request: WebRequest<N>): boolean {
  if (!resolved.getSecurityStamp || !resolved.service.rotatesSecurityStamps) return false;
  const session = request.session.data as SessionRecord | undefined;
  return session?.[TWO_FACTOR_ON_SESSION_KEY] === true && typeof session[SECURITY_STAMP_SESSION_KEY] === 'string';
}

/**
 * Whether the session still belongs to the user's current stamp. Without the hook every session
 * is current. A session with no recorded stamp is stale too: it signed in before the stamp existed
 * or by a path that skipped the password step's bookkeeping (fail closed).
 */
export function sessionStampIsCurrent<N>(resolved: ResolvedOptions<N>, request: WebRequest<N>, user: unknown): boolean {
  if (!resolved.getSecurityStamp) return true;
  const current = stampOf(resolved, user);
  const recorded = (request.session.data as SessionRecord | undefined)?.[SECURITY_STAMP_SESSION_KEY];
  if (current === undefined) return recorded === undefined;
  return typeof recorded === 'string' && recorded === current;
}

/**
 * Signs a stale session out (S31): the user entry and the stamp leave the session, so the
 * session store forgets the sign-in at the end of this request, on every instance.
 */
export function signOutStaleSession<N>(request: WebRequest<N>): void {
  request.session.forgetUser?.();
  const session = liveSession(request);
  if (session) {
    delete session[SECURITY_STAMP_SESSION_KEY];
    delete session[TWO_FACTOR_ON_SESSION_KEY];
  }
}
