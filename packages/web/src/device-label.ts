/** The label of a remembered browser (S34), from its User-Agent by a maintained parser (bowser). */
import Bowser from 'bowser';

/**
 * "Firefox on Windows", "Safari on iOS", or the browser or system alone when only one is known;
 * "Unknown browser" when the User-Agent says nothing usable. For display only: a User-Agent is
 * whatever the client sends, so the label decides nothing.
 *
 * @example
 * ```ts
 * deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0');
 * // 'Firefox on Windows'
 * ```
 */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown browser';
  const { browser, os } = Bowser.parse(userAgent);
  const name = browser.name?.trim();
  const system = os.name?.trim();
  if (name && system) return `${name} on ${system}`;
  return name || system || 'Unknown browser';
}
