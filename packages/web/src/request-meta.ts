/** The request metadata the service puts on its events, for auditing (S27). */
import { isIP } from 'node:net';
import type { RequestMeta } from '@secondfactor/core';

// A user agent is attacker-controlled; cap it so events and audit rows stay bounded.
const MAX_USER_AGENT_LENGTH = 512;

/**
 * The client IP and user agent of a request, the user agent capped. The IP is kept only when it is
 * one (`net.isIP`): behind a proxy it comes from `X-Forwarded-For`, and a forged entry such as
 * `"1.2.3.4 user=admin"` must not reach an event, a log line or the audit table (S27, S38).
 */
export function eventMeta(request: { meta: RequestMeta }): RequestMeta {
  const { ip, userAgent } = request.meta;
  return {
    ip: typeof ip === 'string' && isIP(ip) ? ip : undefined,
    userAgent: typeof userAgent === 'string' && userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : undefined,
  };
}
