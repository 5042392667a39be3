/**
 * The 2FA policy's gate on protected routes (S36): after the grace deadline, a required user
 * without 2FA is refused everywhere the host's guard runs, except where the host allows enrollment.
 * JSON clients get 403 `TWO_FACTOR_ENROLLMENT_REQUIRED`; browsers go to the enrollment start,
 * whose section explains why in plain words.
 */
import type { Exchange } from './respond';
import { messageFor } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { ROUTE_ERROR_STATUS, RouteErrorCode } from './route-error';
import { sessionKnowsTwoFactorOn } from './security-stamp';

/**
 * The refusal for a signed-in user whose enrollment is due, or null to let the request through.
 * Asks the service's policy (a user the policy leaves out costs one call of the host's hook),
 * except for a session known to be signed in with 2FA on under a current stamp (S31): no query.
 */
export async function enrollmentRefusal<N>(exchange: Exchange<N>, userId: string): Promise<WebResponse | null> {
  const { resolved, request } = exchange;
  // A session that signed in (or enabled 2FA) with 2FA on, under a current stamp: 2FA is still on.
  if (sessionKnowsTwoFactorOn(resolved, request)) return null;
  const policy = await resolved.service.enrollmentPolicy(userId);
  if (!policy.enrollmentDue) return null;
  const code = RouteErrorCode.EnrollmentRequired;
  if (exchange.json)
    return jsonResponse({ error: { code, message: messageFor(resolved, code) } }, ROUTE_ERROR_STATUS[code]);
  return redirectResponse(request.method, resolved.managementPrefix);
}
