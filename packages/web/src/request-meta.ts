/** The request metadata the service puts on its events, for auditing (S27). */
import type { RequestMeta } from '@secondfactor/core';

// A user agent is attacker-controlled; cap it so events and audit rows stay bounded.
const MAX_USER_AGENT_LENGTH = 512;

/**
 * The client IP and user agent of a request, the user agent capped.
 */
export function eventMeta(request: { meta: RequestMeta }): RequestMeta {
  const { ip, userAgent } = request.meta;
  return {
    ip: typeof ip === 'string' && ip ? ip : undefined,
    userAgent: typeof userAgent === 'string' && userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : undefined,
  };
}
