/** The client address as events, throttles and the session list may use it. */
import { isIP } from 'node:net';

/**
 * The framework's client address (`ctx.ip`, `req.ip`, which honour at most one trusted proxy hop),
 * kept only when it is an IP address (`net.isIP`): a forged `X-Forwarded-For` entry such as
 * `"1.2.3.4 user=admin"` never reaches an event, a log line or the audit table. IPv4-mapped IPv6
 * addresses are shown as IPv4.
 */
export function clientAddress(ip: string | undefined | null): string | undefined {
  if (typeof ip !== 'string') return undefined;
  const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  return isIP(address) ? address : undefined;
}
