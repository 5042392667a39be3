/** Client-supplied text made safe to quote in a notification mail (S26, S27). */

/** The longest User-Agent quoted in a mail, in characters. */
export const MAX_MAIL_USER_AGENT_LENGTH = 200;

/** The Unicode bidirectional controls, which could make quoted text read backwards. */
const BIDI_CONTROLS = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/** C0 and C1 controls (line breaks included, so a header cannot forge lines of the mail) and bidi controls. */
function isUnsafe(character: string): boolean {
  const code = character.codePointAt(0) as number;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || BIDI_CONTROLS.has(code);
}

/**
 * The User-Agent as a mail may quote it: control and bidi characters removed, then cut to
 * {@link MAX_MAIL_USER_AGENT_LENGTH} characters (never inside a surrogate pair).
 */
export function mailSafeUserAgent(userAgent: string): string {
  return Array.from(userAgent)
    .filter((character) => !isUnsafe(character))
    .slice(0, MAX_MAIL_USER_AGENT_LENGTH)
    .join('')
    .trim();
}
