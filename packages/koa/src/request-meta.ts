/** The request metadata the service puts on its events, for auditing (S27). */
import type { RequestMeta } from '@secondfactor/core';
import type { Context } from 'koa';

// A user agent is attacker-controlled; cap it so events and audit rows stay bounded.
const MAX_USER_AGENT_LENGTH = 512;

/**
 * The client IP (as Koa sees it, honouring `app.proxy`) and user agent.
 *
 * @example
 * ```ts
 * await service.disable({ userId, password, meta: requestMeta(ctx) });
 * ```
 */
export function requestMeta(ctx: Context): RequestMeta {
  const userAgent = ctx.get('user-agent');
  return { ip: ctx.ip || undefined, userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : undefined };
}
