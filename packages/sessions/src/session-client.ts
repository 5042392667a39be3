/**
 * The client a session was last seen from (IP and User-Agent), as a listing shows it (S33).
 * Both come from the request, so both are checked and bounded before they are stored.
 */
import { isIP } from 'node:net';

/** What a request tells about its client. Either field may be missing. */
export interface SessionClient {
  ip?: string | null;
  userAgent?: string | null;
}

/** The longest User-Agent kept; longer ones are cut. */
export const MAX_USER_AGENT_LENGTH = 512;

/** `{ ip, userAgent }` ready to store: an IP only if `net.isIP` accepts it, a User-Agent cut to length. */
export function normalizeClient(client: SessionClient | undefined): { ip: string | null; userAgent: string | null } {
  const ip = typeof client?.ip === 'string' && isIP(client.ip) !== 0 ? client.ip : null;
  const agent = typeof client?.userAgent === 'string' ? client.userAgent.trim() : '';
  return { ip, userAgent: agent ? agent.slice(0, MAX_USER_AGENT_LENGTH) : null };
}
