/**
 * Who is signed in, from the one access decision of @secondfactor/web (S20): a user with a pending
 * second factor, expired or not, is signed out. And the session probe `GET /session` answers (docs/architecture.md#example-site-contract).
 */
import { loginStateOf } from '@secondfactor/passport-totp';
import { stepUpWindow, type EnrollmentPolicyState } from '@secondfactor/core';
import { decideAccess, verifiedAtOf } from '@secondfactor/web';
import type { User } from '../db/entities/user.entity';
import { toPublicUser, type PublicUser } from '../services/user-accounts';
import type { SiteContext } from '../services/site-context';
import type { SessionData } from './flash';

/** What a framework knows about the request's sign-in. */
export interface SignInFacts {
  /** Passport's `isAuthenticated()`. */
  authenticated: boolean;
  /** Passport's user (`ctx.state.user`, `req.user`). */
  user: unknown;
  session: SessionData | null;
  /** The server clock's now (the 2FA service's). */
  now: Date;
}

/**
 * The fully signed-in user, or null (signed out, or only the password step done).
 */
export function signedInUser(facts: SignInFacts): User | null {
  const decision = decideAccess({
    user: facts.authenticated ? (facts.user as User | undefined) : undefined,
    loginState: loginStateOf(facts.session, facts.now),
  });
  return decision.allowed ? decision.user : null;
}

/** The body of `GET /session`. */
export interface SessionProbe {
  authenticated: boolean;
  /** The password step passed and the second factor is due (not expired). */
  twoFactorPending: boolean;
  user: PublicUser | null;
  csrfToken: string;
  /** The 2FA policy's grace deadline has passed and 2FA is off: only enrollment is reachable (S36). */
  twoFactorEnrollmentRequired: boolean;
  /** While the policy requires 2FA and it is off: the grace deadline (ISO 8601); else null (S36). */
  twoFactorRequiredBy: string | null;
  /** Until when sensitive actions need no "Confirm it's you" (ISO time), or null (S35). */
  stepUpValidUntil: string | null;
}

/**
 * The body of `GET /session` (answered with `Cache-Control: no-store`).
 */
export function sessionProbe(
  facts: SignInFacts,
  csrfToken: string,
  policy: EnrollmentPolicyState | null = null,
  stepUpMaxAgeSeconds = 900,
): SessionProbe {
  const user = signedInUser(facts);
  const stepUp = stepUpWindow({
    verifiedAtMs: verifiedAtOf(facts.session),
    now: facts.now,
    maxAgeSeconds: stepUpMaxAgeSeconds,
  });
  return {
    authenticated: user !== null,
    twoFactorPending: user === null && loginStateOf(facts.session, facts.now) === 'pending',
    user: user ? toPublicUser(user) : null,
    csrfToken,
    twoFactorEnrollmentRequired: user !== null && !!policy?.enrollmentDue,
    twoFactorRequiredBy: user !== null && policy?.requiredBy ? policy.requiredBy.toISOString() : null,
    stepUpValidUntil: user && stepUp.fresh && stepUp.validUntil ? stepUp.validUntil.toISOString() : null,
  };
}

/**
 * The body of `GET /session` with the signed-in user's standing under the 2FA policy (S36).
 */
export async function sessionProbeWithPolicy(
  facts: SignInFacts,
  csrfToken: string,
  site: SiteContext,
): Promise<SessionProbe> {
  const user = signedInUser(facts);
  const policy = user ? await site.twoFactor.enrollmentPolicy(String(user.id)) : null;
  return sessionProbe(facts, csrfToken, policy, site.config.stepUpMaxAgeSeconds);
}
